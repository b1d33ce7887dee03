module kro-gen/tools/kro-compat-tables

go 1.26.0
