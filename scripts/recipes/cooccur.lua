-- cooccur: which entities are named together — in one sentence or one
-- document — as a weighted network for Gephi (GEXF, GraphML) or a table.
local lector = require "lector"
local P = require "lector.pipeline"
local recipes = require "lector.recipes"
local data = require "lector.report.data"
local R = require "lector.report"

local csv = P.csv_field

-- XML text: & < > " ' escaped, and characters XML 1.0 forbids dropped.
local function xml(v)
  return R.esc((tostring(v == nil and "" or v):gsub("[%z\1-\8\11\12\14-\31]", "")))
end

local function graphml(w, nodes, edges, window)
  w:write('<?xml version="1.0" encoding="UTF-8"?>\n',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" ',
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ',
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns ',
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n',
    '  <key id="label" for="node" attr.name="label" attr.type="string"/>\n',
    '  <key id="type" for="node" attr.name="type" attr.type="string"/>\n',
    '  <key id="mentions" for="node" attr.name="mentions" attr.type="int"/>\n',
    '  <key id="documents" for="node" attr.name="documents" attr.type="int"/>\n',
    '  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>\n',
    '  <graph id="cooccurrence" edgedefault="undirected">\n',
    '    <desc>entities named in the same ', xml(window), '</desc>\n')
  for _, n in ipairs(nodes) do
    w:write(string.format('    <node id="n%d"><data key="label">%s</data><data key="type">%s</data>'
      .. '<data key="mentions">%d</data><data key="documents">%d</data></node>\n', n.id, xml(n.entity),
      xml(n.type), n.mentions, n.documents))
  end
  for i, e in ipairs(edges) do
    w:write(string.format('    <edge id="e%d" source="n%d" target="n%d"><data key="weight">%d</data></edge>\n',
      i - 1, e.source, e.target, e.weight))
  end
  w:write("  </graph>\n</graphml>\n")
end

local function gexf(w, nodes, edges, window)
  w:write('<?xml version="1.0" encoding="UTF-8"?>\n',
    '<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ',
    'xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">\n',
    '  <meta><creator>lector</creator><description>entities named in the same ', xml(window),
    '</description></meta>\n',
    '  <graph mode="static" defaultedgetype="undirected">\n',
    '    <attributes class="node">\n',
    '      <attribute id="0" title="type" type="string"/>\n',
    '      <attribute id="1" title="mentions" type="integer"/>\n',
    '      <attribute id="2" title="documents" type="integer"/>\n',
    '    </attributes>\n    <nodes>\n')
  for _, n in ipairs(nodes) do
    w:write(string.format('      <node id="%d" label="%s"><attvalues><attvalue for="0" value="%s"/>'
      .. '<attvalue for="1" value="%d"/><attvalue for="2" value="%d"/></attvalues></node>\n', n.id, xml(n.entity),
      xml(n.type), n.mentions, n.documents))
  end
  w:write("    </nodes>\n    <edges>\n")
  for i, e in ipairs(edges) do
    w:write(string.format('      <edge id="%d" source="%d" target="%d" weight="%d"/>\n', i - 1, e.source, e.target,
      e.weight))
  end
  w:write("    </edges>\n  </graph>\n</gexf>\n")
end

return {
  name = "cooccur",
  summary = "entity co-occurrence with weights, as csv, graphml or gexf (for Gephi)",
  inputs = "",
  description = "Two entities co-occur when the layer entity names both in one sentence\n" ..
    "(--window sentence) or one document (--window document); the weight is the\n" ..
    "number of sentences or documents. Nodes carry type, mentions, documents.",
  options = P.with_options({
    { name = "db", type = "string", required = true, input = true, help = "a store filled by ingest and tag" },
    { name = "window", type = "choice", choices = { "sentence", "document" }, default = "sentence",
      help = "what counts as together" },
    { name = "format", type = "choice", choices = { "csv", "graphml", "gexf" }, default = "csv",
      help = "csv (an edge list), graphml or gexf" },
    { name = "min-weight", type = "integer", default = 1, min = 1, help = "leave out lighter edges" },
    { name = "output", short = "o", type = "string", help = "write to this file (-o), not standard output" },
  }, "filters"),
  run = function(opts, inputs)
    if #inputs > 0 then recipes.fail("cooccur takes no inputs, only --db", 2) end
    local ok, db = pcall(lector.store.open, opts.db, { readonly = true })
    if not ok then recipes.fail(db) end
    local cok, nodes, edges = pcall(data.cooccur, db, opts)
    db:close()
    if not cok then recipes.fail(nodes) end
    local kept = {}
    for _, e in ipairs(edges) do if e.weight >= opts["min-weight"] then kept[#kept + 1] = e end end
    local wok, err = pcall(function()
      local w, close = require("lector.report.views").open_output(opts.output)
      if opts.format == "graphml" then
        graphml(w, nodes, kept, opts.window)
      elseif opts.format == "gexf" then
        gexf(w, nodes, kept, opts.window)
      else
        w:write("source,target,weight,source_type,target_type\n")
        for _, e in ipairs(kept) do
          w:write(table.concat({ csv(e.source_entity), csv(e.target_entity), e.weight,
            csv(nodes[e.source + 1].type), csv(nodes[e.target + 1].type) }, ","), "\n")
        end
      end
      close()
    end)
    if not wok then recipes.fail(err) end
    return 0
  end,
}
