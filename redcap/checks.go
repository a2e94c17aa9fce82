package redcap

// Check describes one diagnostic code: its default severity, a one-line
// title and a doc entry. `rcolpipe rules` lists them next to the Go rules.
type Check struct {
	Code     string
	Severity Severity
	Title    string
	Doc      string
}

// The reader's diagnostic codes. Errors refuse a file (it contributes no
// fields); warnings and infos keep it.
const (
	CodeEmptyInput      = "RD001"
	CodeBadHeader       = "RD002"
	CodeTooManyCells    = "RD003"
	CodeNotJSONArray    = "RD004"
	CodeBadJSONValue    = "RD005"
	CodeUnclosedQuote   = "RD006"
	CodeBadZIP          = "RD007"
	CodeDuplicateColumn = "RD008"
	CodeTooLarge        = "RD009"
	CodeBinary          = "RD010"

	CodeWindows1252  = "RD101"
	CodeExtraColumns = "RD102"
	CodeLiteralNA    = "RD103"
	CodeStrayQuote   = "RD104"
	CodeSkippedEntry = "RD105"
	// CodeHeaderByPosition is RD110, not RD106, to stay clear of reader
	// codes added on other branches at the same time.
	CodeHeaderByPosition = "RD110"

	CodeRecordIDDropped = "RD201"
	CodeOldLayout       = "RD202"
	CodeUTF16           = "RD203"
)

// ReaderChecks lists the diagnostic codes of the readers and of Stack.
var ReaderChecks = []Check{
	{CodeEmptyInput, SeverityError, "empty input",
		"The file (or folder) holds no dictionary rows: it is empty, has only a header, is an empty JSON array, or a folder has no .csv/.tsv/.json/.zip files. Nothing is read from it."},
	{CodeBadHeader, SeverityError, "header cannot be mapped to REDCap columns",
		"The first row of a CSV must name REDCap's columns, either with the headers of the Data Dictionary download (\"Variable / Field Name\", \"Form Name\", ...) or with the API keys (field_name, form_name, ...). At least field_name, form_name, field_type and field_label must be there. A JSON file must use API keys. Matching ignores case, spaces and punctuation; rcol's `choices` is read as select_choices_or_calculations."},
	{CodeTooManyCells, SeverityError, "row has more cells than the header",
		"A row with more cells than the header usually holds an unquoted delimiter or a broken quote, so every cell after it is in the wrong column. REDCap maps columns by position and would import the shifted values. Fix the quoting of the row."},
	{CodeNotJSONArray, SeverityError, "JSON is not an array of row objects",
		"A JSON dictionary is an array of objects, one per field, with API keys (what REDCap's API exports). Anything else (an object, an array of arrays, a syntax error, data after the array) is refused."},
	{CodeBadJSONValue, SeverityError, "JSON value is not a string, number or null",
		"Every value of a row object must be a string; numbers are read as their literal text and null as an empty cell. true/false, objects and arrays have no meaning in a REDCap column."},
	{CodeUnclosedQuote, SeverityError, "quoted cell never closed",
		"A cell starts with a double quote that is never closed, so the rest of the file would be one cell."},
	{CodeBadZIP, SeverityError, "not a REDCap instrument ZIP",
		"An instrument ZIP (REDCap's Shared Library format) must be a readable ZIP archive with instrument.csv at its top level. An Excel .xlsx file is also a ZIP: save it as CSV."},
	{CodeDuplicateColumn, SeverityError, "column given twice",
		"Two header cells (or two keys of one JSON row) map to the same REDCap column, e.g. both `choices` and `select_choices_or_calculations`. REDCap would shift every later column."},
	{CodeTooLarge, SeverityError, "input over a size limit",
		"A file is larger than 64 MiB (an instrument ZIP's instrument.csv counts unpacked, and a ZIP may hold at most 1000 entries), a cell is longer than 1 MiB, or a file has more than 100,000 rows or 2,000,000 kept cells. REDCap stores at most 65,535 bytes in a cell, and real dictionaries are a few MiB at most, so such a file is not a dictionary REDCap could import; it is refused before it can exhaust memory."},
	{CodeBinary, SeverityError, "binary file, not a dictionary",
		"The file is not text: it starts like an image, a PDF, an old Excel workbook or a compressed file, or it holds NUL bytes, which no CSV or JSON dictionary has. It is refused as what it is, instead of being read as Windows-1252 CSV with a meaningless header error."},
	{CodeWindows1252, SeverityWarning, "not UTF-8: read as Windows-1252",
		"The file is not valid UTF-8. It was decoded as Windows-1252, which is what Excel on Windows writes. Check umlauts and other non-ASCII characters, and save the file as UTF-8."},
	{CodeExtraColumns, SeverityWarning, "columns that are not REDCap's ignored",
		"Columns (or JSON keys) that do not map to one of REDCap's 18 columns are left out of the dictionary. REDCap itself maps by position and would misread them."},
	{CodeLiteralNA, SeverityWarning, "literal NA cells",
		"Cells holding the text NA are what R writes for missing values. They are kept as read, because REDCap would store the text \"NA\" (and then reject or change it: an identifier \"NA\" is not \"y\"), so validation reports what REDCap would do. Write the file with na = \"\" or blank those cells."},
	{CodeStrayQuote, SeverityWarning, "stray quote inside a quoted cell",
		"A quoted cell has a double quote that is neither doubled (\"\") nor followed by a delimiter or line end. The quote is kept as a character and the cell continues unquoted, which often means the row has too many cells."},
	{CodeSkippedEntry, SeverityWarning, "folder entry skipped (link or special file)",
		"A folder input reads only regular files. A symbolic link in the folder (or in a folder below it) is not followed, whatever its name (it could point at a secret such as a .env file, at /dev/zero, or at a folder elsewhere), and a named pipe, device or socket is not opened; an entry whose name holds control characters is skipped too, without entering it if it is a folder. Name a file on the command line to read it."},
	{CodeHeaderByPosition, SeverityWarning, "header not REDCap's: columns read by position",
		"The first row of a CSV is blank or does not name REDCap's columns, but it has REDCap's column count (18, or 16 in the older layout). REDCap skips the first row of an uploaded dictionary whatever it holds and reads the columns by position, so rcolpipe reads the file the same way and warns; a file with another column count is refused (RD002).\n\nREDCap: accepts the file (it never reads the header). rcolpipe: warning, because REDCap imports it as read here, but a header that is not REDCap's often means columns in another order."},
	{CodeRecordIDDropped, SeverityInfo, "repeated record-ID field dropped when stacking",
		"When several inputs are stacked and a later one starts with the same record-ID field as the first input (every instrument file carries record_id), the later copy is dropped. Other repeated field names stay for validation to report."},
	{CodeOldLayout, SeverityInfo, "older 16-column layout",
		"The header has no \"Matrix Ranking?\" and no \"Field Annotation\" column (REDCap before 6.x); both are read as empty."},
	{CodeUTF16, SeverityInfo, "UTF-16 file",
		"The file starts with a UTF-16 byte-order mark (Excel's \"Unicode Text\"); it was decoded to UTF-8."},
	{CodeNotDictionary, SeverityInfo, "file in a folder skipped: not a dictionary",
		"A folder input (and the folders in it) is read for its .csv, .tsv, .txt, .json and .zip files. Any other file (README.md, a script, an Excel workbook) is listed once with this code and not read. Names starting with . or _ (hidden files and folders, indexes such as _index.json) and entries matched by --exclude are passed over without a line. A file with a dictionary's extension that is neither a dictionary nor a structure file is RC901 instead (one line per file either way)."},
}
