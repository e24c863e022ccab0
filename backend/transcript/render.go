package transcript

import (
	"bytes"
	"html/template"
	"strings"
	"unicode"
)

// clean drops the control characters of s but newlines and tabs, and the
// bidirectional embeddings, overrides and isolates, and normalizes line
// ends to "\n": a transcript cannot carry terminal escapes, carriage
// returns that overwrite a line, or an override that shows one file name as
// another. Right-to-left text still reads right to left (dir="auto").
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case unicode.IsControl(r), r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
			return -1
		}
		return r
	}, s)
}

// renderText is the plain text transcript: a header, then one block per
// line, its continuation lines indented.
func renderText(d doc) []byte {
	var b strings.Builder
	b.WriteString(d.Title + "\n")
	for _, m := range d.Meta {
		b.WriteString(clean(m) + "\n")
	}
	b.WriteString(strings.Repeat("=", 40) + "\n")
	if len(d.Entries) == 0 {
		b.WriteString(d.Empty + "\n")
	}
	for _, e := range d.Entries {
		b.WriteString("\n[" + e.Time + "] ")
		if e.Internal {
			b.WriteString("[" + d.Internal + "] ")
		}
		if e.Kind == entryEvent {
			b.WriteString("-- " + clean(e.Text) + " --\n")
			continue
		}
		b.WriteString(clean(e.Sender) + ":\n")
		if t := strings.TrimRight(clean(e.Text), "\n"); t != "" {
			for _, line := range strings.Split(t, "\n") {
				b.WriteString("    " + line + "\n")
			}
		}
		if e.Attachment != "" {
			b.WriteString("    " + clean(e.Attachment) + "\n")
		}
	}
	return []byte(b.String())
}

// page is the HTML transcript: one document with its style inline, no
// scripts and no external resources; html/template escapes every text.
var page = template.Must(template.New("transcript").Funcs(template.FuncMap{"clean": clean}).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{{.Title}}</title>
<style>
body{margin:0;padding:24px;background:#f5f6f8;color:#1f2329;font:14px/1.5 -apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif}
main{max-width:760px;margin:0 auto;background:#fff;border-radius:8px;padding:24px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:20px;margin:0 0 8px}
.meta{color:#646a73;font-size:12px;margin:0 0 16px;padding:0;list-style:none}
.line{margin:12px 0;padding:8px 12px;border-radius:6px;background:#f2f3f5}
.line.customer{background:#e8f3ff}
.line.agent{background:#eefbf0}
.line.internal{background:#fff7e6;border-left:3px solid #faad14}
.head{font-size:12px;color:#646a73}
.sender{font-weight:600;color:#1f2329}
.tag{font-size:11px;font-weight:600;color:#ad6800;margin-right:6px}
.text{white-space:pre-wrap;overflow-wrap:anywhere;margin-top:2px}
.file{color:#3370ff;overflow-wrap:anywhere}
.event{text-align:center;color:#8f959e;font-size:12px;margin:12px 0;overflow-wrap:anywhere}
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<ul class="meta">{{range .Meta}}<li>{{clean .}}</li>{{end}}</ul>
{{if not .Entries}}<p class="event">{{.Empty}}</p>{{end}}
{{- range .Entries}}
{{if eq .Kind "event"}}<p class="event{{if .Internal}} internal{{end}}">{{if .Internal}}<span class="tag">{{$.Internal}}</span>{{end}}{{.Time}} · {{clean .Text}}</p>
{{- else}}<div class="line {{.Role}}{{if .Internal}} internal{{end}}"><div class="head">{{if .Internal}}<span class="tag">{{$.Internal}}</span>{{end}}<span class="sender">{{clean .Sender}}</span> · {{.Time}}</div>
{{- if .Text}}<div class="text" dir="auto">{{clean .Text}}</div>{{end}}
{{- if .Attachment}}<div class="file" dir="auto">{{clean .Attachment}}</div>{{end}}</div>
{{- end}}
{{- end}}
</main>
</body>
</html>
`))

func renderHTML(d doc) ([]byte, error) {
	var b bytes.Buffer
	if err := page.Execute(&b, d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
