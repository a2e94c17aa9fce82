// Package upload puts a dictionary into a REDCap project without losing
// what is there: preflight (token, rights, project status), export the
// project's dictionary to a backup file, merge, diff, refuse deletions
// unless allowed, confirm, import, export again and verify. It takes a
// finished dictionary (package pipeline makes it) and an api.Client.
package upload
