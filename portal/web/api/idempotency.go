package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/reglo/reglo/portal"
)

// idempotencyTTL is how long the first answer to a key is kept.
const idempotencyTTL = 24 * time.Hour

// maxIdempotencyKey bounds the header (Stripe's keys are at most 255).
const maxIdempotencyKey = 255

// apiIdempotency is one kept answer (table api_idempotency); Status 0 is
// a request still being answered.
type apiIdempotency struct {
	CreditorID  int64  `gorm:"primaryKey;autoIncrement:false"`
	IdemKey     string `gorm:"primaryKey"`
	RequestHash string
	Status      int
	ContentType string
	Body        []byte
	CreatedAt   time.Time
}

func (apiIdempotency) TableName() string { return "api_idempotency" }

// idempotency makes a POST with an Idempotency-Key header answer once: the
// first request with the key runs and its answer is kept 24 hours (per
// creditor); a repeat with the same method, path and body gets that answer
// again (header Idempotent-Replayed: true) and changes nothing; the same
// key with another request is 409, as is a repeat while the first is still
// being answered. An answer 5xx is not kept, so a retry runs again.
func (s *Handler) idempotency(c *fiber.Ctx) error {
	key := c.Get("Idempotency-Key")
	if c.Method() != fiber.MethodPost || key == "" {
		return c.Next()
	}
	if len(key) > maxIdempotencyKey || !portal.StorableText(key) {
		return SendError(c, fiber.StatusUnprocessableEntity, "invalid",
			portal.Invalid("Idempotency-Key", "invalid", "the Idempotency-Key header must be at most 255 bytes of text"))
	}
	ctx := c.UserContext()
	cr := apiCreditor(c)
	sum := sha256.New()
	for _, part := range [][]byte{[]byte(c.Method()), []byte(c.OriginalURL()), []byte(c.Get(fiber.HeaderContentType)), c.Body()} {
		sum.Write(part)
		sum.Write([]byte{0})
	}
	hash := hex.EncodeToString(sum.Sum(nil))
	now := s.svc.Now().UTC()
	db := s.svc.Store.DB.WithContext(ctx)
	// Expired answers go first, so an old key starts afresh.
	if err := db.Where("creditor_id = ? AND created_at < ?", cr.ID, now.Add(-idempotencyTTL)).Delete(&apiIdempotency{}).Error; err != nil {
		return err
	}
	res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&apiIdempotency{CreditorID: cr.ID, IdemKey: key, RequestHash: hash, CreatedAt: now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		var kept apiIdempotency
		if err := db.Where("creditor_id = ? AND idem_key = ?", cr.ID, key).Take(&kept).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return SendError(c, fiber.StatusConflict, "idempotency_in_progress", errors.New("a request with this Idempotency-Key has just been answered: send it again"))
			}
			return err
		}
		switch {
		case kept.RequestHash != hash:
			return SendError(c, fiber.StatusConflict, "idempotency_key_reused",
				errors.New("this Idempotency-Key was used for another request: use a new key for a new request"))
		case kept.Status == 0:
			c.Set(fiber.HeaderRetryAfter, "1")
			return SendError(c, fiber.StatusConflict, "idempotency_in_progress",
				errors.New("a request with this Idempotency-Key is still being answered: send it again in a moment"))
		}
		c.Set(fiber.HeaderContentType, kept.ContentType)
		c.Set("Idempotent-Replayed", "true")
		return c.Status(kept.Status).Send(kept.Body)
	}

	// The first request with the key: answer it (errors through the app's
	// error handler, so the kept answer is the one sent), then keep it.
	forget := func() { db.Where("creditor_id = ? AND idem_key = ?", cr.ID, key).Delete(&apiIdempotency{}) }
	if err := c.Next(); err != nil {
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			forget()
			return herr
		}
	}
	status := c.Response().StatusCode()
	if status >= 500 {
		forget()
		return nil
	}
	if err := db.Model(&apiIdempotency{}).Where("creditor_id = ? AND idem_key = ?", cr.ID, key).
		Updates(map[string]any{"status": status, "content_type": string(c.Response().Header.ContentType()),
			"body": bytes.Clone(c.Response().Body())}).Error; err != nil {
		// The answer stands; a repeat finds the key in progress, then
		// (after 24 hours) free again. Logged without the body.
		s.log.WarnContext(ctx, "idempotency answer not kept", "error", err.Error())
	}
	return nil
}
