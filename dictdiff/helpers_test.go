package dictdiff

import "github.com/rcolpipe/rcolpipe/redcap"

func field(name, typ, label string) redcap.Field {
	return redcap.Field{FieldName: name, FormName: "f", FieldType: typ, FieldLabel: label}
}

func dict(fields ...redcap.Field) *redcap.Dictionary {
	all := append([]redcap.Field{field("record_id", "text", "ID")}, fields...)
	return &redcap.Dictionary{Fields: all}
}
