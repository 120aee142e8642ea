package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"

	"github.com/reglo/reglo/views"
)

// langCookie remembers a language chosen with ?lang=.
const langCookie = "reglo_lang"

// localsCaseLang holds the language of the case a page shows, set by the
// handler that loaded the case (useCaseLanguage).
const localsCaseLang = "reglo.case_lang"

// language remembers a ?lang=fr|en choice in a cookie for a year, so the
// next pages keep it without the parameter.
func (s *Server) language(c *fiber.Ctx) error {
	if l := c.Query("lang"); views.Supported(l) {
		c.Cookie(&fiber.Cookie{
			Name: langCookie, Value: l, Path: "/",
			MaxAge: int((365 * 24 * time.Hour).Seconds()), Expires: time.Now().Add(365 * 24 * time.Hour),
			HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteLaxMode,
		})
	}
	return c.Next()
}

// useCaseLanguage tells pageLang the language of the case on the page.
func useCaseLanguage(c *fiber.Ctx, lang string) { c.Locals(localsCaseLang, lang) }

// pageLang chooses the language of a page: ?lang= first, then the language
// remembered from an earlier ?lang=, then the case's language (when the page
// shows a case or a link to one), then Accept-Language, then French. Error
// pages call it too, before any middleware may have run.
func pageLang(c *fiber.Ctx) string {
	if l := c.Query("lang"); views.Supported(l) {
		return l
	}
	if l := c.Cookies(langCookie); views.Supported(l) {
		return l
	}
	if l, _ := c.Locals(localsCaseLang).(string); views.Supported(l) {
		return l
	}
	return acceptLanguage(c.Get(fiber.HeaderAcceptLanguage))
}

var langMatcher = language.NewMatcher([]language.Tag{language.French, language.English})

// acceptLanguage picks fr or en from an Accept-Language header, honouring
// its q-values; anything else is French.
func acceptLanguage(header string) string {
	if header == "" {
		return views.DefaultLanguage
	}
	if len(header) > 256 {
		header = header[:256]
	}
	tag, _, conf := langMatcher.Match(parseAccept(header)...)
	if conf == language.No {
		return views.DefaultLanguage
	}
	base, _ := tag.Base()
	if l := base.String(); views.Supported(l) {
		return l
	}
	return views.DefaultLanguage
}

func parseAccept(header string) []language.Tag {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil {
		return nil
	}
	return tags
}
