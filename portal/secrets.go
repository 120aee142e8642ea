package portal

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Secrets signs and verifies session cookies. REGLO_SECRET may hold several
// comma-separated secrets: the first signs, all verify, so a secret can be
// rotated without logging everyone out. Each is named in the JWT header by a
// kid derived from it (never the secret itself).
type Secrets struct {
	signKID string
	keys    map[string][]byte
}

// NewSecrets parses REGLO_SECRET.
func NewSecrets(raw string) (*Secrets, error) {
	s := &Secrets{keys: map[string][]byte{}}
	for _, part := range strings.Split(raw, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if len(part) < 16 {
			return nil, errors.New("REGLO_SECRET: each secret must be at least 16 characters")
		}
		sum := sha256.Sum256([]byte("reglo-kid:" + part))
		kid := hex.EncodeToString(sum[:4])
		if s.signKID == "" {
			s.signKID = kid
		}
		s.keys[kid] = []byte(part)
	}
	if s.signKID == "" {
		return nil, errors.New("REGLO_SECRET is empty")
	}
	return s, nil
}

// GenerateSecret returns a fresh random secret, for `reglo demo`.
func GenerateSecret() string { return RandomToken() }

// sessionClaims are the claims of a session cookie.
type sessionClaims struct {
	Kind string `json:"knd"`
	jwt.RegisteredClaims
}

// SignSession returns a JWT naming session id sid of the given kind.
func (s *Secrets) SignSession(sid, kind string, expires time.Time) (string, error) {
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, sessionClaims{
		Kind: kind,
		RegisteredClaims: jwt.RegisteredClaims{
			ID:        sid,
			ExpiresAt: jwt.NewNumericDate(expires),
		},
	})
	tok.Header["kid"] = s.signKID
	return tok.SignedString(s.keys[s.signKID])
}

// VerifySession checks a session JWT and returns its session id and kind.
func (s *Secrets) VerifySession(raw string, now time.Time) (sid, kind string, err error) {
	var c sessionClaims
	_, err = jwt.ParseWithClaims(raw, &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		key, ok := s.keys[kid]
		if !ok {
			return nil, fmt.Errorf("unknown kid")
		}
		return key, nil
	}, jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired(), jwt.WithTimeFunc(func() time.Time { return now }))
	if err != nil {
		return "", "", ErrUnauthenticated
	}
	if c.ID == "" {
		return "", "", ErrUnauthenticated
	}
	return c.ID, c.Kind, nil
}

// RandomToken returns 256 random bits, URL-safe.
func RandomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the hex SHA-256 under which a token is stored.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
