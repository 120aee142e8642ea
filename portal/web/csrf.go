package web

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// csrfContextKey is where the CSRF middleware leaves the token for templates.
const csrfContextKey = "csrf"

// csrfMiddleware is Fiber's CSRF middleware configured as its v2 security
// notes advise: token read from the form field, HttpOnly SameSite=Lax
// cookie (Secure and __Host- prefixed under https), one shared storage in
// the database so any process accepts a token another issued.
func (s *Server) csrfMiddleware() fiber.Handler {
	name := "reglo_csrf"
	if s.secure {
		name = "__Host-reglo_csrf"
	}
	return csrf.New(csrf.Config{
		Next:           func(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/static/") },
		KeyLookup:      "form:_csrf",
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

func csrfToken(c *fiber.Ctx) string {
	t, _ := c.Locals(csrfContextKey).(string)
	return t
}

// dbStorage implements fiber.Storage on the csrf_tokens table.
type dbStorage struct{ db *gorm.DB }

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
	t := csrfRow{Key: key, Value: val}
	if exp > 0 {
		e := time.Now().Add(exp).UTC()
		t.ExpiresAt = &e
	}
	// Expired tokens are swept opportunistically, a few at a time.
	d.db.Where("expires_at < ?", time.Now().UTC().Add(-time.Hour)).Limit(100).Delete(&csrfRow{})
	return d.db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoUpdates: clause.AssignmentColumns([]string{"value", "expires_at"})}).Create(&t).Error
}

func (d *dbStorage) Delete(key string) error {
	return d.db.Where("key = ?", key).Delete(&csrfRow{}).Error
}

func (d *dbStorage) Reset() error { return d.db.Where("1 = 1").Delete(&csrfRow{}).Error }

func (d *dbStorage) Close() error { return nil }
