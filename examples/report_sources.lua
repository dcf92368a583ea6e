-- A report of your own in a few lines: which sources each outlet cites,
-- as a network, a bar chart and a table, on one self-contained HTML page.
--
--   build/lector examples/report_sources.lua corpus.db sources.html
local lector = require "lector"
local R = require "lector.report"
local data = require "lector.report.data"

local db = lector.store.open(arg[1] or "build/demo.db", { readonly = true })
local cites = data.citations(db)               -- {outlet, source, label, citations, documents}
local edges, bars, rows, total = {}, {}, {}, {}
for _, c in ipairs(cites) do
  local outlet = c.outlet ~= "" and c.outlet or "(no outlet)"
  edges[#edges + 1] = { from = outlet, to = c.source, weight = c.citations }
  total[c.source] = (total[c.source] or 0) + c.citations
  rows[#rows + 1] = { outlet, c.source, c.citations }
end
for source, n in pairs(total) do bars[#bars + 1] = { label = source, value = n } end
table.sort(bars, function(a, b) return a.value > b.value or (a.value == b.value and a.label < b.label) end)

local page = R.page("Who cites whom", {
  R.network(edges, { left_title = "outlet", right_title = "cited source" }),
  R.h2("Citations per source"), R.bars(bars),
  R.h2("Every pair"), R.table({ "outlet", "source", "citations" }, rows),
})
local out = assert(io.open(arg[2] or "sources.html", "w"))
out:write(page)
out:close()
db:close()
print(#rows .. " outlet-source pairs -> " .. (arg[2] or "sources.html"))
