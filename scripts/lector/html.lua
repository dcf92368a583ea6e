-- lector.html: an HTML page as its visible text and head metadata, through
-- the core's libxml2-based parser (core/html.c; the rules are in
-- core/README.md, "HTML").
local check = require "lector.check"
local core = require "lector.core"

local ffi, C = core.ffi, core.C
local M = {}

local fields = { "title", "author", "outlet", "published", "url", "lang" }

-- to_text(s) -> { text =, charset =, [repairs =,] [title =, author =,
-- outlet =, published =, url =, lang =] }: metadata fields are absent when
-- the page has none; published is the page's own string, not normalized;
-- repairs (present when > 0) counts bytes replaced by U+FFFD or dropped.
-- Returns nil, message when the core refuses the page (too large, out of
-- memory); raises on misuse.
function M.to_text(s)
  if type(s) ~= "string" then
    check.argerr(1, "to_text", "string", s)
  end
  local doc = ffi.gc(ffi.new("lector_html_doc"), C.lector_html_doc_release)
  local rc = C.lector_html_text(s, #s, doc)
  if rc ~= 0 then
    local msg = doc.errmsg ~= nil and ffi.string(doc.errmsg) or core.strerror(rc)
    return nil, "to_text: " .. msg
  end
  local r = { text = ffi.string(doc.text, doc.text_n), charset = ffi.string(doc.charset) }
  for _, k in ipairs(fields) do
    local p = doc[k]
    if p ~= nil then r[k] = ffi.string(p) end
  end
  local repairs = tonumber(doc.repairs)
  if repairs > 0 then r.repairs = repairs end
  ffi.gc(doc, nil)
  C.lector_html_doc_release(doc)
  return r
end

return M
