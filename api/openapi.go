package api

import _ "embed"

// openAPIDocument is the OpenAPI 3 description of the API, served at /api/v1/openapi.json.
//
//go:embed openapi.json
var openAPIDocument []byte
