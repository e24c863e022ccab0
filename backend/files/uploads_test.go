package files

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestListAndRemoveUploads lays out what the tus file store leaves (data
// and .info, and a data file whose .info was never written), ages some of
// them, and removes the stale ones as the sweep does.
func TestListAndRemoveUploads(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	old := now.Add(-25 * time.Hour)
	write := func(name, content string, at time.Time) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
	write("fresh", "abc", now)
	write("fresh.info", `{"ID":"fresh","Size":100,"MetaData":{"uploader_id":"v1"}}`, now)
	write("stale", "abc", old)
	write("stale.info", `{"ID":"stale","Size":200,"MetaData":{"uploader_id":"v2"}}`, old)
	// Written long ago, but its data was written to a moment ago.
	write("busy", "abcdef", now)
	write("busy.info", `{"ID":"busy","Size":300}`, old)
	write("orphan", "x", old)

	ups, err := ListUploads(dir)
	if err != nil {
		t.Fatal(err)
	}
	byID := make(map[string]Upload)
	for _, u := range ups {
		byID[u.ID] = u
	}
	if len(byID) != 4 {
		t.Fatalf("ListUploads = %+v, want 4 uploads", ups)
	}
	if u := byID["stale"]; u.Size != 200 || u.MetaData["uploader_id"] != "v2" {
		t.Errorf("stale upload = %+v", u)
	}
	var removed []string
	cutoff := now.Add(-24 * time.Hour)
	for _, u := range ups {
		if u.LastWrite.Before(cutoff) {
			if err := RemoveUpload(dir, u.ID); err != nil {
				t.Fatal(err)
			}
			removed = append(removed, u.ID)
		}
	}
	slices.Sort(removed)
	if !slices.Equal(removed, []string{"orphan", "stale"}) {
		t.Errorf("stale uploads = %v, want [orphan stale]", removed)
	}
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if want := []string{"busy", "busy.info", "fresh", "fresh.info"}; !slices.Equal(left, want) {
		t.Errorf("left in the upload dir = %v, want %v", left, want)
	}
	if err := RemoveUpload(dir, "../x"); err == nil {
		t.Error("RemoveUpload accepted a path")
	}
	if ups, err := ListUploads(filepath.Join(dir, "missing")); err != nil || len(ups) != 0 {
		t.Errorf("ListUploads(missing dir) = %v, %v", ups, err)
	}
}
