package portal

import (
	"context"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/reglo/reglo/migrations"
)

// SubjectAccess is everything Reglo holds about a case's debtor (GDPR art.
// 15): the case row, then every row of every table that names the case
// (invoices, lines, documents, payments, plans, instalments, links,
// sessions, the debtor's choices and messages, the timeline...), found from
// the schema itself so a table added later is never left out. Secrets are
// not personal data and are left out: columns ending in _hash.
type SubjectAccess struct {
	ExportedAt time.Time                   `json:"exported_at"`
	Case       map[string]any              `json:"case"`
	Creditor   SubjectAccessParty          `json:"creditor"`
	Collector  *SubjectAccessParty         `json:"collector"`
	Tables     map[string][]map[string]any `json:"tables"`
}

// SubjectAccessParty names who holds the data: the creditor (controller)
// and the collection agency (processor), if one acts.
type SubjectAccessParty struct {
	Name    string `json:"name"`
	Legal   string `json:"legal_name,omitempty"`
	LegalID string `json:"legal_id,omitempty"`
	Address string `json:"address,omitempty"`
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
}

// SubjectAccessExport gathers a case's subject-access export in one
// read-only transaction.
func (s *Service) SubjectAccessExport(ctx context.Context, caseID int64) (SubjectAccess, error) {
	out := SubjectAccess{ExportedAt: s.now(), Tables: map[string][]map[string]any{}}
	err := s.Store.Tx(ctx, func(tx *gorm.DB) error {
		var c Case
		if err := tx.Take(&c, caseID).Error; err != nil {
			return NotFound(err)
		}
		var cr Creditor
		if err := tx.Take(&cr, c.CreditorID).Error; err != nil {
			return err
		}
		out.Creditor = SubjectAccessParty{Name: cr.Name, Legal: cr.LegalName, LegalID: cr.LegalID, Address: cr.Address, Email: cr.ContactEmail, Phone: cr.ContactPhone}
		if co := s.Collector; co.Agency() {
			out.Collector = &SubjectAccessParty{Name: co.Name, Legal: strings.TrimSpace(co.Name + " " + co.LegalForm), LegalID: co.SIREN, Address: co.Address, Email: co.Email, Phone: co.Phone}
		}
		var caseRows []map[string]any
		if err := tx.Table("cases").Where("id = ?", caseID).Find(&caseRows).Error; err != nil {
			return err
		}
		if len(caseRows) == 1 {
			out.Case = withoutSecrets(caseRows[0])
		}
		tables, err := tablesWithCaseID(tx, s.Store.Dialect)
		if err != nil {
			return err
		}
		for _, t := range tables {
			var rows []map[string]any
			if err := tx.Table(t).Where("case_id = ?", caseID).Find(&rows).Error; err != nil {
				return err
			}
			for i := range rows {
				rows[i] = withoutSecrets(rows[i])
			}
			sort.SliceStable(rows, func(i, j int) bool { return rowID(rows[i]) < rowID(rows[j]) })
			if len(rows) > 0 {
				out.Tables[t] = rows
			}
		}
		return nil
	})
	return out, err
}

// tablesWithCaseID lists the tables that have a case_id column, from the
// database's own catalogue.
func tablesWithCaseID(tx *gorm.DB, d migrations.Dialect) ([]string, error) {
	var names []string
	var err error
	if d == migrations.Postgres {
		err = tx.Raw(`SELECT table_name FROM information_schema.columns
			WHERE column_name = 'case_id' AND table_schema = current_schema() ORDER BY table_name`).Scan(&names).Error
	} else {
		err = tx.Raw(`SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND p.name = 'case_id' ORDER BY m.name`).Scan(&names).Error
	}
	return names, err
}

func withoutSecrets(row map[string]any) map[string]any {
	for k := range row {
		if strings.HasSuffix(k, "_hash") {
			delete(row, k)
		}
	}
	return row
}

func rowID(row map[string]any) int64 {
	switch v := row["id"].(type) {
	case int64:
		return v
	case int32:
		return int64(v)
	case int:
		return int64(v)
	}
	return 0
}
