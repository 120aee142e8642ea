package office

import (
	"context"

	"github.com/reglo/reglo/portal"
	"gorm.io/gorm"
)

// APIKeysForAdmin lists a creditor's API keys, newest first: their prefix
// and dates only, since the keys themselves are stored hashed.
func (s *Service) APIKeysForAdmin(ctx context.Context, u portal.User, creditorID int64) ([]portal.APIKey, error) {
	if _, err := s.CreditorForAdmin(ctx, u, creditorID); err != nil {
		return nil, err
	}
	var out []portal.APIKey
	err := s.db(ctx).Select("id", "creditor_id", "prefix", "created_at", "revoked_at").
		Where("creditor_id = ?", creditorID).Order("id DESC").Find(&out).Error
	return out, err
}

// CreateAPIKeyForAdmin makes a new API key for a creditor and returns it:
// this is the only time it exists in clear; only its SHA-256 is stored.
func (s *Service) CreateAPIKeyForAdmin(ctx context.Context, u portal.User, creditorID int64) (string, portal.APIKey, error) {
	if _, err := s.CreditorForAdmin(ctx, u, creditorID); err != nil {
		return "", portal.APIKey{}, err
	}
	now := s.now()
	var key string
	var k portal.APIKey
	err := s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		var err error
		if key, err = portal.CreateAPIKey(tx, creditorID, now); err != nil {
			return err
		}
		if err := tx.Where("key_hash = ?", portal.HashToken(key)).Take(&k).Error; err != nil {
			return err
		}
		return audit(tx, now, u, creditorID, "api_key_created", map[string]any{"key_id": k.ID, "prefix": k.Prefix})
	})
	return key, k, err
}

// RevokeAPIKey stops a creditor's API key from working at once. Revoking
// a revoked key changes nothing; a key of another creditor is ErrNotFound.
func (s *Service) RevokeAPIKey(ctx context.Context, u portal.User, creditorID, keyID int64) error {
	if _, err := s.CreditorForAdmin(ctx, u, creditorID); err != nil {
		return err
	}
	now := s.now()
	return s.core.Store.Tx(ctx, func(tx *gorm.DB) error {
		var k portal.APIKey
		if err := tx.Where("id = ? AND creditor_id = ?", keyID, creditorID).Take(&k).Error; err != nil {
			return portal.NotFound(err)
		}
		if k.RevokedAt != nil {
			return nil
		}
		if err := tx.Model(&portal.APIKey{}).Where("id = ?", k.ID).Update("revoked_at", now).Error; err != nil {
			return err
		}
		return audit(tx, now, u, creditorID, "api_key_revoked", map[string]any{"key_id": k.ID, "prefix": k.Prefix})
	})
}
