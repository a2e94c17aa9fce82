// Package outfile writes rcolpipe's files (-o outputs, rcolpipe.lock,
// upload backups, sandbox state backups) so that a planted symbolic link
// cannot redirect them, a failed run leaves nothing half-written, and
// special files such as /dev/null stay what they are.
//
// Every regular file is written to a fresh temporary file in the folder of
// the file it becomes (os.CreateTemp: a random name opened with O_EXCL,
// which never follows a symbolic link), synced, given its mode, and then
// renamed over the target (Write) or linked to a name nothing else has
// taken (CreateNew). The temporary file is removed on every failure.
package outfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write replaces the contents of the file at path with what write writes.
//
//   - A folder is refused.
//   - A device, FIFO or other special file (/dev/null, /dev/stdout on a
//     terminal or pipe) is opened for writing as it is and written to; it is
//     never replaced, created or truncated.
//   - A regular file is replaced atomically: readers see the old contents or
//     the new ones, never part of them. Its permission bits are kept (and its
//     owner, where the system allows). A symbolic link is followed to the
//     file it names, which is replaced; the link stays a link.
//   - A symbolic link to nothing (dangling) is refused rather than followed:
//     creating a file wherever a link points is how a planted link takes
//     over a file outside the folder.
//   - Otherwise a new file is created with perm.
func Write(path string, perm fs.FileMode, write func(io.Writer) error) error {
	if path == "" {
		return errors.New("write: no file name given")
	}
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		return fmt.Errorf("write %s: it is a folder; give a file name", path)
	case err == nil && !st.Mode().IsRegular():
		return writeInPlace(path, write)
	case err == nil:
		target, err := regularTarget(path, st)
		if err != nil {
			return err
		}
		return replace(target, st, st.Mode().Perm(), write)
	case errors.Is(err, fs.ErrNotExist):
		if lst, lerr := os.Lstat(path); lerr == nil && lst.Mode()&fs.ModeSymlink != 0 {
			dest, rerr := os.Readlink(path)
			if rerr != nil {
				return fmt.Errorf("write %s: it is a symbolic link to a file that does not exist: %w", path, rerr)
			}
			return fmt.Errorf("write %s: it is a symbolic link to %s, which does not exist; create that file first or remove the link", path, dest)
		}
		return replace(path, nil, perm, write)
	default:
		return fmt.Errorf("write %s: %w", path, err)
	}
}

// WriteBytes is Write of data.
func WriteBytes(path string, data []byte, perm fs.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteJSON is Write of v as indented JSON with a final line end (the
// files rcolpipe writes for people to read and diff: plans, lock files).
func WriteJSON(path string, v any, perm fs.FileMode) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return WriteBytes(path, append(data, '\n'), perm)
}

// CreateNew writes a new file at path with mode perm and never replaces
// anything: when path exists in any form (file, folder, symbolic link,
// even a dangling one) it returns an error for which errors.Is(err,
// fs.ErrExist) holds, so callers can pick another name. The file appears
// complete or not at all.
func CreateNew(path string, perm fs.FileMode, write func(io.Writer) error) (err error) {
	tmp, err := writeTemp(path, nil, perm, write)
	if err != nil {
		return err
	}
	defer func() {
		// Gone already when the fallback below renamed it.
		if rerr := os.Remove(tmp); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) && err == nil {
			err = fmt.Errorf("write %s: remove the temporary file: %w", path, rerr)
		}
	}()
	// A hard link fails when the name is taken, symbolic links included,
	// without a moment in which the name could be taken after a check.
	lerr := os.Link(tmp, path)
	if lerr == nil {
		return nil
	}
	if errors.Is(lerr, fs.ErrExist) {
		return fmt.Errorf("write %s: %w", path, lerr)
	}
	// Some file systems (FAT, some network shares) have no hard links: check
	// the name is free and rename. Another process could take the name in
	// between; on such file systems that is the best there is.
	if _, serr := os.Lstat(path); serr == nil {
		return fmt.Errorf("write %s: %w", path, fs.ErrExist)
	} else if !errors.Is(serr, fs.ErrNotExist) {
		return fmt.Errorf("write %s: %w", path, serr)
	}
	if rerr := os.Rename(tmp, path); rerr != nil {
		return fmt.Errorf("write %s: %w (and hard link: %v)", path, rerr, lerr)
	}
	return nil
}

// regularTarget returns the name of the regular file path refers to,
// following symbolic links. A name that resolves to another file than the
// one path opens (the /proc/self/fd links behind /dev/stdout name deleted
// or renamed files that way) is refused: replacing it would write
// somewhere else than the user meant.
func regularTarget(path string, st fs.FileInfo) (string, error) {
	lst, err := os.Lstat(path)
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if lst.Mode()&fs.ModeSymlink == 0 {
		return path, nil
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", fmt.Errorf("write %s: follow the symbolic link: %w", path, err)
	}
	tst, err := os.Stat(target)
	if err != nil || !os.SameFile(st, tst) {
		return "", fmt.Errorf("write %s: it is a symbolic link whose file cannot be named (it resolves to %s); give the file's own name", path, target)
	}
	return target, nil
}

// writeInPlace writes to a special file opened as it is: no O_CREATE (it
// exists), no O_TRUNC (it is not a regular file).
func writeInPlace(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	werr := write(f)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// replace writes a temporary file next to target and renames it over
// target. old is the file being replaced (nil for a new one).
func replace(target string, old fs.FileInfo, perm fs.FileMode, write func(io.Writer) error) error {
	tmp, err := writeTemp(target, old, perm, write)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, target); err != nil {
		if rerr := os.Remove(tmp); rerr != nil {
			err = errors.Join(err, fmt.Errorf("remove the temporary file: %w", rerr))
		}
		return fmt.Errorf("write %s: %w", target, err)
	}
	return nil
}

// writeTemp writes a complete temporary file in target's folder and returns
// its name; on failure nothing is left behind.
func writeTemp(target string, old fs.FileInfo, perm fs.FileMode, write func(io.Writer) error) (name string, err error) {
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", target, err)
	}
	defer func() {
		if err != nil {
			f.Close() // the write already failed; this close only frees the descriptor
			if rerr := os.Remove(f.Name()); rerr != nil {
				err = errors.Join(err, fmt.Errorf("remove the temporary file: %w", rerr))
			}
		}
	}()
	if err := write(f); err != nil {
		return "", fmt.Errorf("write %s: %w", target, err)
	}
	if err := f.Sync(); err != nil {
		return "", fmt.Errorf("write %s: %w", target, err)
	}
	if err := f.Chmod(perm); err != nil {
		return "", fmt.Errorf("write %s: %w", target, err)
	}
	if old != nil {
		if err := keepOwner(f, old); err != nil {
			return "", fmt.Errorf("write %s: %w", target, err)
		}
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("write %s: %w", target, err)
	}
	return f.Name(), nil
}
