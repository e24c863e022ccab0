package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"switchboard/backend/audit"
	"switchboard/backend/botlearn"
	"switchboard/backend/kb"
	"switchboard/backend/kbedit"
	"switchboard/backend/notice"
	"switchboard/backend/store"
	"switchboard/protocol"
)

// The knowledge base's versions and the report from the command line:
// the same service (kbedit, botlearn) as the kb and kb_edit frames.

// kbStore opens the store of the settings fs holds for a kb command, with
// the first version made from a knowledge base published before versions.
func kbStore(ctx context.Context, fs *flag.FlagSet) (store.Store, serveConfig, error) {
	c, err := adminSettings(fs)
	if err != nil {
		return nil, c, err
	}
	// The report reads what customers wrote, sealed when encryption at
	// rest is on: with the key if there is one.
	kek, _ := loadKEK(c, false)
	st, err := openStore(ctx, c, kek)
	if err != nil {
		return nil, c, err
	}
	if _, err := kb.EnsureVersion(ctx, st); err != nil {
		st.Close()
		return nil, c, err
	}
	return st, c, nil
}

// kbHistory prints the versions of the knowledge base, newest first.
func kbHistory(args []string, stdout, stderr io.Writer) int {
	fs := adminFlags("kb history", stderr)
	limit := fs.Int("limit", 20, "versions to list, newest first (at most 100)")
	pos, _, code, ok := parseInterspersed(fs, args)
	if !ok || len(pos) != 0 || *limit < 1 || *limit > 100 {
		if ok {
			fmt.Fprint(stderr, kbUsage)
			code = 2
		}
		return code
	}
	ctx := context.Background()
	st, _, err := kbStore(ctx, fs)
	if err != nil {
		fmt.Fprintf(stderr, "kb history: %v\n", err)
		return 1
	}
	defer st.Close()
	vs, err := kbedit.New(st, nil).History(ctx, *limit)
	if err != nil {
		fmt.Fprintf(stderr, "kb history: %v\n", err)
		return 1
	}
	if len(vs) == 0 {
		fmt.Fprintln(stdout, "no knowledge base published yet (kb import FILE publishes one)")
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tAT\tAUTHOR\tENTRIES\tSUMMARY")
	for _, v := range vs {
		fmt.Fprintf(tw, "v%d\t%s\t%s\t%d\t%s\n", v.Version, time.UnixMilli(v.CreatedAt).UTC().Format(time.RFC3339), v.Author, v.Entries, v.Summary)
	}
	tw.Flush()
	return 0
}

// kbRollback publishes an old version's content as a new version.
func kbRollback(args []string, stdout, stderr io.Writer) int {
	fs := adminFlags("kb rollback", stderr)
	pos, _, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	v, err := strconv.ParseInt(strings.TrimPrefix(firstOf(pos), "v"), 10, 64)
	if len(pos) != 1 || err != nil || v < 1 {
		fmt.Fprint(stderr, kbUsage)
		return 2
	}
	return kbApply("kb rollback", fs, kbedit.Edit{Op: protocol.KBOpRollback, Version: v}, stdout, stderr)
}

// kbAddQuestion adds a sample question to an entry.
func kbAddQuestion(args []string, stdout, stderr io.Writer) int {
	fs := adminFlags("kb add-question", stderr)
	lang := fs.String("lang", "", "the question's language: zh or en")
	pos, _, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 2 || (*lang != kb.ZH && *lang != kb.EN) {
		fmt.Fprint(stderr, kbUsage)
		return 2
	}
	return kbApply("kb add-question", fs, kbedit.Edit{Op: protocol.KBOpAddQuestion, EntryID: pos[0], Locale: *lang, Question: pos[1]}, stdout, stderr)
}

func firstOf(l []string) string {
	if len(l) == 0 {
		return ""
	}
	return l[0]
}

// kbApply applies an edit on the current version, as the command line,
// and tells the running servers.
func kbApply(cmd string, fs *flag.FlagSet, ed kbedit.Edit, stdout, stderr io.Writer) int {
	ctx := context.Background()
	st, c, err := kbStore(ctx, fs)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		return 1
	}
	defer st.Close()
	editor := kbedit.New(st, nil)
	_, cur, err := editor.Current(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		return 1
	}
	ed.BaseVersion, ed.Author, ed.Actor = cur, "cli", audit.AdminActor
	res, err := editor.Apply(ctx, ed)
	if err != nil {
		if errors.Is(err, kbedit.ErrConflict) {
			err = fmt.Errorf("%w; run it again", err)
		}
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		return 1
	}
	fmt.Fprintf(stdout, "published knowledge base version %d (%s): %d entries\n", res.Version, res.Published.Summary, len(res.KB.Entries))
	notifyServers(ctx, c, notice.Notice{Kind: notice.KB}, stdout, stderr)
	return 0
}

// kbReport prints the unanswered-questions report.
func kbReport(args []string, stdout, stderr io.Writer) int {
	fs := adminFlags("kb report", stderr)
	limit := fs.Int("limit", 20, fmt.Sprintf("groups to print, largest first (at most %d)", botlearn.MaxGroups))
	pos, _, code, ok := parseInterspersed(fs, args)
	if !ok || len(pos) != 0 || *limit < 1 || *limit > botlearn.MaxGroups {
		if ok {
			fmt.Fprint(stderr, kbUsage)
			code = 2
		}
		return code
	}
	ctx := context.Background()
	st, _, err := kbStore(ctx, fs)
	if err != nil {
		fmt.Fprintf(stderr, "kb report: %v\n", err)
		return 1
	}
	defer st.Close()
	opts := botlearn.ReportOptions{Limit: *limit}
	k, v, err := kbedit.New(st, nil).Current(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "kb report: %v\n", err)
		return 1
	}
	opts.Version = v
	if k != nil {
		if ix, err := kb.NewIndex(k); err == nil {
			opts.Search = ix
		}
	}
	rep, err := botlearn.Report(ctx, st, opts)
	if err != nil {
		fmt.Fprintf(stderr, "kb report: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%d open questions in %d groups shown; knowledge base version %d\n", rep.Open, len(rep.Groups), rep.KBVersion)
	for i, g := range rep.Groups {
		var reasons []string
		for _, r := range []string{protocol.MissUnsure, protocol.MissHandedOver, protocol.MissAskedAgain, protocol.MissUnhelpful} {
			if n := g.Reasons[r]; n > 0 {
				reasons = append(reasons, fmt.Sprintf("%s %d", r, n))
			}
		}
		fmt.Fprintf(stdout, "\n%d. %d questions (%s), %s, last %s\n", i+1, g.Count, strings.Join(reasons, ", "), g.Locale,
			time.UnixMilli(g.LastAt).UTC().Format(time.RFC3339))
		for _, q := range g.Questions {
			fmt.Fprintf(stdout, "   - %s\n", oneLine(q.Text))
		}
		for _, s := range g.Suggestions {
			fmt.Fprintf(stdout, "   suggested entry: %s (%s) %.2f\n", s.EntryID, oneLine(s.Label), s.Score)
		}
		if g.Draft != nil {
			fmt.Fprintf(stdout, "   draft from %s: %s\n", g.Draft.AgentName, oneLine(g.Draft.Text))
		}
	}
	return 0
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
