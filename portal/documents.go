package portal

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// MaxDocumentBytes is the largest proof document accepted (10 MiB).
const MaxDocumentBytes = 10 << 20

// DocumentStorage keeps document bytes under opaque keys. Local disk today;
// an S3-compatible store later implements the same two methods.
type DocumentStorage interface {
	Put(ctx context.Context, key string, data []byte) error
	Open(ctx context.Context, key string) (io.ReadCloser, error)
}

// DiskStorage stores documents as files in one directory.
type DiskStorage struct{ Dir string }

// Put writes data under key, atomically.
func (d DiskStorage) Put(_ context.Context, key string, data []byte) error {
	if err := os.MkdirAll(d.Dir, 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(d.Dir, ".upload-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), d.path(key))
}

// Open reads the document stored under key.
func (d DiskStorage) Open(_ context.Context, key string) (io.ReadCloser, error) {
	return os.Open(d.path(key))
}

func (d DiskStorage) path(key string) string {
	return filepath.Join(d.Dir, filepath.Base(key))
}

// DetectDocumentType returns the content type of an accepted document from
// its bytes (never its name), or ErrUnsupportedType.
func DetectDocumentType(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "application/pdf", nil
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", nil
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "image/jpeg", nil
	}
	return "", ErrUnsupportedType
}

// ErrEmptyFile is CheckFile's answer for a file with no bytes.
var ErrEmptyFile = errors.New("empty file")

// CheckedFile is an upload that passed CheckFile: its type read from its
// bytes, its SHA-256 and the random storage key it will be kept under.
type CheckedFile struct {
	ContentType string
	SHA256      string
	Key         string
	Size        int64
}

// CheckFile is the one check of every file a person uploads (proof
// documents, contest files): not empty (ErrEmptyFile), at most
// MaxDocumentBytes (ErrTooLarge), a PDF, PNG or JPEG by its bytes, never
// its name (ErrUnsupportedType).
func CheckFile(data []byte) (CheckedFile, error) {
	if len(data) == 0 {
		return CheckedFile{}, ErrEmptyFile
	}
	if len(data) > MaxDocumentBytes {
		return CheckedFile{}, ErrTooLarge
	}
	ctype, err := DetectDocumentType(data)
	if err != nil {
		return CheckedFile{}, err
	}
	sum := sha256.Sum256(data)
	return CheckedFile{ContentType: ctype, SHA256: hex.EncodeToString(sum[:]), Key: RandomToken() + ExtFor(ctype), Size: int64(len(data))}, nil
}

// NewDocument is an uploaded proof document.
type NewDocument struct {
	Title         string
	InvoiceNumber string
	Data          []byte
	Source        string
}

// AddDocument checks and stores a proof document for a case the caller may
// already see. The bytes go to storage under a random name first; the row
// is written after, so a failure leaves at worst an unreferenced file.
func (s *Service) AddDocument(ctx context.Context, caseID int64, in NewDocument, actor Actor) (Document, error) {
	f, err := CheckFile(in.Data)
	if errors.Is(err, ErrEmptyFile) {
		return Document{}, Invalid("file", "required", "file is required")
	}
	if err != nil {
		return Document{}, err
	}
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" || utf8.RuneCountInString(in.Title) > 200 || strings.ContainsAny(in.Title, "\r\n") {
		return Document{}, Invalid("title", "required", "title is required (one line, at most 200 characters)")
	}
	if in.Source == "" {
		in.Source = "creditor"
	}
	var invoiceID *int64
	if in.InvoiceNumber != "" {
		var inv Invoice
		if err := s.db(ctx).Where("case_id = ? AND number = ?", caseID, in.InvoiceNumber).Take(&inv).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return Document{}, Invalid("invoice_number", "unknown_invoice", "no invoice with this number on the case")
			}
			return Document{}, err
		}
		invoiceID = &inv.ID
	}
	if err := s.Docs.Put(ctx, f.Key, in.Data); err != nil {
		return Document{}, fmt.Errorf("store document: %w", err)
	}
	doc := Document{CaseID: caseID, InvoiceID: invoiceID, Title: in.Title, ContentType: f.ContentType, Size: f.Size,
		SHA256: f.SHA256, StorageKey: f.Key, Source: in.Source, CreatedAt: s.now()}
	err = s.Store.Tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&doc).Error; err != nil {
			return err
		}
		return Record(tx, doc.CreatedAt, caseID, EventDocumentAdded, actor, map[string]any{"document_id": doc.ID, "title": doc.Title})
	})
	return doc, err
}

func ExtFor(ctype string) string {
	switch ctype {
	case "application/pdf":
		return ".pdf"
	case "image/png":
		return ".png"
	}
	return ".jpg"
}

// OpenDocument returns a document of the given case and its bytes, and
// writes the view to the timeline. A document of another case is
// ErrNotFound.
func (s *Service) OpenDocument(ctx context.Context, caseID, docID int64, actor Actor) (Document, io.ReadCloser, error) {
	var doc Document
	if err := s.db(ctx).Where("id = ? AND case_id = ?", docID, caseID).Take(&doc).Error; err != nil {
		return Document{}, nil, NotFound(err)
	}
	r, err := s.Docs.Open(ctx, doc.StorageKey)
	if err != nil {
		return Document{}, nil, fmt.Errorf("open document %d: %w", doc.ID, err)
	}
	if err := Record(s.db(ctx), s.now(), caseID, EventDocumentViewed, actor, map[string]any{"document_id": doc.ID, "title": doc.Title}); err != nil {
		r.Close()
		return Document{}, nil, err
	}
	return doc, r, nil
}
