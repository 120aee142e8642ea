package web

import (
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// csrfContextKey is where the CSRF middleware leaves the token for templates.
const csrfContextKey = "csrf"

// csrfMiddleware is Fiber's CSRF middleware configured as its v2 security
// notes advise: token read from the form body (csrfFromBody), HttpOnly SameSite=Lax
// cookie (Secure and __Host- prefixed under https), one shared storage in
// the database so any process accepts a token another issued.
func (s *Server) csrfMiddleware() fiber.Handler {
	name := "reglo_csrf"
	if s.secure {
		name = "__Host-reglo_csrf"
	}
	return csrf.New(csrf.Config{
		Next:           func(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/static/") },
		Extractor:      csrfFromBody,
		CookieName:     name,
		CookiePath:     "/",
		CookieSecure:   s.secure,
		CookieHTTPOnly: true,
		CookieSameSite: "Lax",
		Expiration:     2 * time.Hour,
		ContextKey:     csrfContextKey,
		Storage:        &dbStorage{db: s.svc.Store.DB},
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			return errCSRF
		},
	})
}

// errCSRF is answered with 403 and a page asking to reload and try again.
var errCSRF = fiber.NewError(fiber.StatusForbidden, "csrf")

// csrfFromBody reads the token from the "_csrf" field of the form body
// only. Fiber's "form:" lookup asks fasthttp's FormValue, which looks in
// the query string first: a token in a URL leaks through logs, history and
// Referer headers, and a link could carry one.
func csrfFromBody(c *fiber.Ctx) (string, error) {
	if t := c.Request().PostArgs().Peek("_csrf"); len(t) > 0 {
		return string(t), nil
	}
	if f, err := c.MultipartForm(); err == nil && len(f.Value["_csrf"]) > 0 && f.Value["_csrf"][0] != "" {
		return f.Value["_csrf"][0], nil
	}
	return "", csrf.ErrMissingForm
}

func csrfToken(c *fiber.Ctx) string {
	t, _ := c.Locals(csrfContextKey).(string)
	return t
}

// dbStorage implements fiber.Storage on the csrf_tokens table. Fiber
// extends a token's expiry on every request; writing that through to the
// database would cost a write per page view, so a process writes a token
// again only when a quarter of its lifetime has passed since its last write
// (a token stays valid for at least three quarters of its lifetime).
type dbStorage struct {
	db *gorm.DB

	mu        sync.Mutex
	written   map[string]time.Time // key → when this process last wrote it
	lastSweep time.Time
}

type csrfRow struct {
	Key       string `gorm:"primaryKey"`
	Value     []byte
	ExpiresAt *time.Time
}

func (csrfRow) TableName() string { return "csrf_tokens" }

func (d *dbStorage) Get(key string) ([]byte, error) {
	var t csrfRow
	err := d.db.Where("key = ?", key).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if t.ExpiresAt != nil && time.Now().After(*t.ExpiresAt) {
		return nil, nil
	}
	return t.Value, nil
}

func (d *dbStorage) Set(key string, val []byte, exp time.Duration) error {
	now := time.Now().UTC()
	d.mu.Lock()
	if d.written == nil {
		d.written = map[string]time.Time{}
	}
	last, seen := d.written[key]
	sweep := now.Sub(d.lastSweep) > 10*time.Minute
	if sweep {
		d.lastSweep = now
		for k, at := range d.written {
			if now.Sub(at) > exp {
				delete(d.written, k)
			}
		}
	}
	d.mu.Unlock()
	if seen && exp > 0 && now.Sub(last) < exp/4 {
		return nil
	}
	t := csrfRow{Key: key, Value: val}
	if exp > 0 {
		e := now.Add(exp)
		t.ExpiresAt = &e
	}
	if sweep {
		d.db.Where("expires_at < ?", now.Add(-time.Hour)).Delete(&csrfRow{})
	}
	err := d.db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoUpdates: clause.AssignmentColumns([]string{"value", "expires_at"})}).Create(&t).Error
	if err == nil {
		d.mu.Lock()
		d.written[key] = now
		d.mu.Unlock()
	}
	return err
}

func (d *dbStorage) Delete(key string) error {
	d.mu.Lock()
	delete(d.written, key)
	d.mu.Unlock()
	return d.db.Where("key = ?", key).Delete(&csrfRow{}).Error
}

func (d *dbStorage) Reset() error {
	d.mu.Lock()
	d.written = nil
	d.mu.Unlock()
	return d.db.Where("1 = 1").Delete(&csrfRow{}).Error
}

func (d *dbStorage) Close() error { return nil }
