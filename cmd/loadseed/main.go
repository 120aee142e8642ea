// Command loadseed fills a database with demo-sized cases for the load
// script (.ci/load) and prints, as shell assignments, one link token and one
// debtor session cookie to measure GET /l/{token} and GET /case with.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reglo/reglo/portal"
)

func main() {
	n := flag.Int("cases", 10000, "number of cases to create")
	workers := flag.Int("workers", 4, "parallel writers")
	flag.Parse()
	if err := run(*n, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "loadseed:", err)
		os.Exit(1)
	}
}

func run(n, workers int) error {
	ctx := context.Background()
	dbURL := os.Getenv("DATABASE_URL")
	secret := os.Getenv("REGLO_SECRET")
	if dbURL == "" || secret == "" {
		return fmt.Errorf("DATABASE_URL and REGLO_SECRET must be set")
	}
	store, err := portal.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer store.Close()
	secrets, err := portal.NewSecrets(secret)
	if err != nil {
		return err
	}
	baseURL := os.Getenv("BASE_URL")
	if baseURL == "" {
		baseURL = "http://localhost:8080"
	}
	svc := portal.NewService(store, portal.DiskStorage{Dir: os.TempDir()}, secrets, baseURL, slog.New(slog.DiscardHandler))
	cr, _, err := svc.CreateCreditor(ctx, portal.NewCreditor{Name: "Énergie Claire", Address: "12 rue de la Paix, 75002 Paris", ContactPhone: "01 23 45 67 89"})
	if err != nil {
		return err
	}
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(n) {
					return
				}
				if _, err := svc.CreateCase(ctx, cr, demoSized(i), portal.CreditorActor(cr.ID)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "loadseed: %d cases in %s\n", n, time.Since(start).Round(time.Millisecond))
	var c portal.Case
	if err := store.DB.Where("creditor_id = ? AND reference = ?", cr.ID, fmt.Sprintf("LOAD-%06d", n/2)).Take(&c).Error; err != nil {
		return err
	}
	browse, err := svc.CreateLink(ctx, c.ID, "copy", 24*time.Hour, portal.SystemActor)
	if err != nil {
		return err
	}
	login, err := svc.CreateLink(ctx, c.ID, "copy", 24*time.Hour, portal.SystemActor)
	if err != nil {
		return err
	}
	session, _, err := svc.VerifyIdentity(ctx, login.Token, c.DebtorPostcode)
	if err != nil {
		return err
	}
	fmt.Printf("LOAD_TOKEN=%s\nLOAD_COOKIE=%s\n", browse.Token, session.Cookie)
	return nil
}

// demoSized is a case like the demo's: two invoices, four lines.
func demoSized(i int64) portal.NewCase {
	return portal.NewCase{
		Reference: fmt.Sprintf("LOAD-%06d", i),
		Debtor: portal.NewDebtor{Name: fmt.Sprintf("Débiteur %d", i), Email: fmt.Sprintf("debiteur%d@example.fr", i),
			Phone: "06 12 34 56 78", Postcode: fmt.Sprintf("%05d", 75000+i%100), Language: "fr", Kind: "consumer"},
		Invoices: []portal.NewInvoice{
			{Number: "F-1", IssuedOn: "2026-01-05", DueOn: "2026-02-04", Description: "Électricité janvier", Lines: []portal.NewLine{
				{Label: "Consommation", AmountCents: 8000 + i%5000, Kind: "principal"},
				{Label: "Intérêts de retard", AmountCents: 120, Kind: "interest"},
			}},
			{Number: "F-2", IssuedOn: "2026-02-05", DueOn: "2026-03-06", Description: "Électricité février", Lines: []portal.NewLine{
				{Label: "Consommation", AmountCents: 9100, Kind: "principal"},
				{Label: "Frais de rejet de prélèvement", AmountCents: 500, Kind: "fee"},
			}},
		},
	}
}
