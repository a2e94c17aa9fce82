package preview

// Help is the description of rcolpipe preview (its --help), kept with the
// behaviour it describes; HelpExamples follows the command's input help.
const Help = `preview writes one self-contained HTML file (nothing loaded from the network)
that shows every form as REDCap's data-entry page: section headers, labels,
notes, every field type with its choices and codes, matrix groups, required
markers, identifiers and action tags. Branching logic and calc fields work
live: fill in values and fields appear, hide and compute as in REDCap (the
logic is translated to JavaScript; a field whose logic uses something the
preview cannot compute, such as a Smart Variable, says so and stays shown).

The input is validated as by rcolpipe validate, and each finding is shown next
to its field. With --base, fields changed or added since OLD (a dictionary file
or folder) are highlighted and removed ones are listed. A side panel lists the
forms, the findings and the changes. Findings do not fail the command: the
page is written and shows them.

Labels are HTML from the dictionary and are sanitised: formatting is kept;
scripts, event handlers, images and styles that load anything are dropped.`

// HelpExamples are the examples and exit codes of rcolpipe preview.
const HelpExamples = `Examples:
   rcolpipe preview -o review.html instruments/
   rcolpipe preview -o review.html --base old/dictionary.csv new/dictionary.csv
   rcolpipe preview -o review.html --title "PHQ-9 v2 for review" phq9.csv
   rcolpipe preview -c rcolpipe.yaml -o review.html

Exit codes: 0 the page is written (findings are in it), 1 an input, the base or
the output cannot be read or written, 2 a wrong command line (no -o, no INPUT).`
