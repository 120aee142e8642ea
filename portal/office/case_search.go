package office

import (
	"context"
	"strings"

	"github.com/reglo/reglo/portal"
	"gorm.io/gorm/clause"
)

// SearchLimit is the most cases a search answers with: an agent on a call
// narrows the query rather than scrolling.
const SearchLimit = 50

// minSearchRunes: shorter queries match too much to be useful (and
// trigram indexes need three characters).
const minSearchRunes = 2

// searchPatterns turns what an agent typed into LIKE patterns, none when
// it is too short: the folded text, and for a query of digits and phone
// punctuation also its digits alone, so "06 12 34" finds 0612345678 while
// "2026-00" still finds the reference ABC-2026-0042.
func searchPatterns(q string) []string {
	q = strings.Join(strings.Fields(portal.FoldText(q)), " ")
	if len([]rune(q)) < minSearchRunes {
		return nil
	}
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	out := []string{"%" + r.Replace(q) + "%"}
	if strings.Trim(q, "0123456789 .-+()") == "" {
		if d := portal.Digits(q); len(d) >= 3 && d != q {
			out = append(out, "%"+d+"%")
		}
	}
	return out
}

// CaseHit is one search result.
type CaseHit struct {
	Case         portal.Case
	CreditorName string
	Balance      portal.Balance
}

// SearchCases finds the cases in the user's scope whose reference, debtor
// name, email, phone or postcode contains q (partially, ignoring case and
// accents). An exact reference comes first, then the most recent cases; at
// most SearchLimit.
func (s *Service) SearchCases(ctx context.Context, u portal.User, q string) ([]CaseHit, error) {
	patterns := searchPatterns(q)
	if len(patterns) == 0 {
		return nil, nil
	}
	match := s.db(ctx).Where(`cases.search_text LIKE ? ESCAPE '\'`, patterns[0])
	for _, p := range patterns[1:] {
		match = match.Or(`cases.search_text LIKE ? ESCAPE '\'`, p)
	}
	ref := strings.TrimSpace(q)
	var cs []portal.Case
	err := s.db(ctx).Model(&portal.Case{}).Scopes(portal.CaseScope(u)).
		Where(match).
		Order(clause.OrderBy{Expression: clause.Expr{SQL: "CASE WHEN lower(cases.reference) = lower(?) THEN 0 ELSE 1 END, cases.created_at DESC, cases.id DESC", Vars: []any{ref}, WithoutParentheses: true}}).
		Limit(SearchLimit).Find(&cs).Error
	if err != nil {
		return nil, err
	}
	return s.caseHits(ctx, cs)
}

// caseHits adds creditor names and balances to a page of cases with three
// queries, whatever the number of cases.
func (s *Service) caseHits(ctx context.Context, cs []portal.Case) ([]CaseHit, error) {
	if len(cs) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(cs))
	crIDs := map[int64]bool{}
	for i, c := range cs {
		ids[i] = c.ID
		crIDs[c.CreditorID] = true
	}
	db := s.db(ctx)
	var crs []portal.Creditor
	keys := make([]int64, 0, len(crIDs))
	for id := range crIDs {
		keys = append(keys, id)
	}
	if err := db.Select("id", "name").Where("id IN ?", keys).Find(&crs).Error; err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, cr := range crs {
		names[cr.ID] = cr.Name
	}
	var totals []struct {
		CaseID int64
		Total  int64
	}
	if err := db.Model(&portal.InvoiceLine{}).Select("case_id, COALESCE(SUM(amount_cents), 0) AS total").
		Where("case_id IN ?", ids).Group("case_id").Scan(&totals).Error; err != nil {
		return nil, err
	}
	total := map[int64]int64{}
	for _, t := range totals {
		total[t.CaseID] = t.Total
	}
	var ps []portal.Payment
	if err := db.Select("case_id", "kind", "amount_cents").Where("case_id IN ?", ids).Find(&ps).Error; err != nil {
		return nil, err
	}
	byCase := map[int64][]portal.Payment{}
	for _, p := range ps {
		byCase[p.CaseID] = append(byCase[p.CaseID], p)
	}
	out := make([]CaseHit, len(cs))
	for i, c := range cs {
		out[i] = CaseHit{Case: c, CreditorName: names[c.CreditorID], Balance: portal.SumPayments(total[c.ID], byCase[c.ID])}
	}
	return out, nil
}

// ReindexCaseSearch rewrites search_text for every case whose stored text
// differs from SearchText (rows that existed before the column, or whose
// debtor details changed without it). It works in pages, so it can run at
// start on a large table; it returns how many rows it changed.
func (s *Service) ReindexCaseSearch(ctx context.Context) (int, error) {
	const page = 1000
	changed := 0
	var after int64
	for {
		var cs []portal.Case
		err := s.db(ctx).Select("id", "reference", "debtor_name", "debtor_email", "debtor_phone", "debtor_postcode", "search_text").
			Where("id > ?", after).Order("id").Limit(page).Find(&cs).Error
		if err != nil {
			return changed, err
		}
		for _, c := range cs {
			if want := portal.SearchText(c); want != c.SearchText {
				if err := s.db(ctx).Model(&portal.Case{}).Where("id = ?", c.ID).UpdateColumn("search_text", want).Error; err != nil {
					return changed, err
				}
				changed++
			}
		}
		if len(cs) < page {
			return changed, nil
		}
		after = cs[len(cs)-1].ID
	}
}
