-- lector.pipeline.stages: the stages recipes share (gazetteer entities,
-- patterns, extractors). Part of lector.pipeline, which re-exports it.
local check = require "lector.check"
local context = require "lector.context"
local fs = require "lector.fs"
local pattern = require "lector.pattern"
local profile = require "lector.profile"

-- (ctx:sentence_at without the lookup through the context class's __index
-- function, once a span)
local sentence_at = context.Context.sentence_at

local M = {}

--- Stage: every gazetteer match becomes an `entity` annotation (label =
-- type, entity = canonical key, sentence = its sentence number). attrs
-- holds only what the store cannot derive: alias when the text matched
-- differs from it (case, accents, hyphens), fuzzy/key for a fuzzy match,
-- anachronism and the alias's valid_from/valid_to for a name used
-- outside its dates; else there are none. (The matched text is the
-- span's; the alias's gazetteer line is found from the alias in the
-- gazetteer the run's options name.) span.entry is the gazetteer entry
-- matched (g:entry), which is not stored. The mentions of an entry share
-- one attrs table in a run (lector.store.fixed_attrs): do not change it.
-- opts.source = true: attrs always hold alias and source (the alias's
-- FILE:LINE), as the entities recipe lists them.
function M.entities(opts)
  local covers = require("lector.gazetteer").covers
  local fixed = require("lector.store").fixed_attrs
  local full = opts and opts.source
  -- The attrs of an entry's mentions, one table for the run (a fixed
  -- one: db:annotate encodes it once): by gazetteer, by key (the entry's
  -- id, -1 - id when the text differs from the alias), false for none.
  -- An entry with dates gets a table a document, as the document's date
  -- decides whether it is an anachronism.
  local by_g = setmetatable({}, { __mode = "k" })
  local function attrs_of(e, alias, differs, published)
    local attrs = false
    if full then
      attrs = { alias = alias, source = e.source }
    elseif differs then
      attrs = { alias = alias }
    end
    if e.fuzzy then
      attrs = attrs or {}
      attrs.fuzzy, attrs.key = true, e.key
    end
    local valid = e.attrs
    if published and (valid.valid_from or valid.valid_to) and not covers(valid, published) then
      attrs = attrs or {}
      -- the dates it was used outside, for the report
      attrs.anachronism, attrs.valid_from, attrs.valid_to = true, valid.valid_from, valid.valid_to
    end
    return attrs and fixed(attrs)
  end
  return profile.stage("entities", function(ctx, emit)
    local g = ctx.gazetteer
    if not g then return end
    local run_attrs = by_g[g]
    if not run_attrs then
      run_attrs = {}
      by_g[g] = run_attrs
    end
    -- Straight from the match structs, no match table each.
    local raw = ctx.raw_matches
    local arr, n, src, published = raw.array, raw.n, raw.text, raw.published
    -- Matches come in text order: the sentence number walks along.
    local rs, si = ctx.raw_sentences, 0
    local sa, ns = rs.array, rs.n
    local doc_attrs -- the dated entries' attrs in this document
    for i = 0, n - 1 do
      local cm = arr[i]
      local id = tonumber(cm.entry)
      local e = g:entry(id)
      local first, a, b = cm.first, cm.start, cm["end"]
      while si + 1 < ns and sa[si + 1].first <= first do si = si + 1 end
      local alias = e.alias
      local differs = #alias ~= b - a or src:sub(a + 1, b) ~= alias
      local key = differs and -1 - id or id
      local attrs = run_attrs[key]
      if attrs == nil then
        local valid = e.attrs
        if valid.valid_from or valid.valid_to then
          doc_attrs = doc_attrs or {}
          attrs = doc_attrs[key]
          if attrs == nil then
            attrs = attrs_of(e, alias, differs, published)
            doc_attrs[key] = attrs
          end
        else
          attrs = attrs_of(e, alias, differs, published)
          run_attrs[key] = attrs
        end
      end
      -- entry: the gazetteer entry (g:entry) for a reader that wants its
      -- alias and line; not stored
      emit("entity", { start = a + 1, stop = b, label = e.type, entity = e.entity, sentence = si + 1,
                       attrs = attrs or nil, entry = id })
    end
  end, { "entity" })
end

--- Reads a patterns file ("layer<TAB>label<TAB>pattern" rows, # comments,
-- an optional header row): returns the patterns, or raises with every bad
-- row (FILE:LINE: reason, up to 20). opts.skip_bad skips bad rows
-- instead, counting them in the result's .skipped.
function M.load_patterns(path, g, opts)
  if type(path) ~= "string" then check.argerr(1, "load_patterns", "string", path) end
  opts = opts or {}
  local f, err = fs.open(path, "rb")
  if not f then check.fail(path .. ": " .. err) end
  local pats, bad, n = { skipped = 0, warnings = {} }, {}, 0
  local function problem(msg)
    bad[#bad + 1] = string.format("%s:%d: %s", path, n, msg)
  end
  for line in f:lines() do
    n = n + 1
    line = line:gsub("\r$", "")
    if line:match("%S") and not line:match("^%s*#") and not (n == 1 and line:match("^layer\t")) then
      local layer, label, src = line:match("^([^\t]+)\t([^\t]+)\t(.+)$")
      if not layer then
        if not line:find("\t") and line:match("^%S+%s+%S+%s+%S") then
          problem("expected layer, label and pattern separated by tabs; this row is separated by spaces")
        else
          problem("expected layer, label and pattern separated by tabs")
        end
      else
        local ok, p = pcall(pattern, src, { gazetteer = g })
        if not ok then
          problem(p)
        else
          pats[#pats + 1] = { layer = layer, label = label, pattern = p, line = n, source = path .. ":" .. n }
        end
      end
    end
  end
  f:close()
  if #bad > 0 then
    if opts.skip_bad then
      pats.skipped = #bad
      pats.problems = bad
    else
      local shown = {}
      for i = 1, math.min(#bad, 20) do shown[i] = bad[i] end
      if #bad > 20 then shown[#shown + 1] = string.format("... and %d more bad rows", #bad - 20) end
      check.fail(table.concat(shown, "\n"))
    end
  end
  return pats
end

--- Warnings about types a typo may have made: a gazetteer type that one
-- entry alone names and no pattern asks for ("FILE:LINE: type PALCE is
-- named by this entry only and by no pattern"). Returns an array.
function M.type_warnings(g, pats)
  local out = {}
  if not g then return out end
  local count, first = g:types()
  local asked = {}
  for _, p in ipairs(pats or {}) do
    for t in p.pattern.src:gmatch("@([%w_]+)") do asked[t] = true end
  end
  local names = {}
  for t, n in pairs(count) do
    if n == 1 and not asked[t] then names[#names + 1] = t end
  end
  table.sort(names)
  for _, t in ipairs(names) do
    out[#out + 1] = string.format("%s: type %s is named by this entry only and by no pattern", first[t], t)
  end
  return out
end

-- The gazetteer's overlapping matches of a document, for patterns' @TYPE:
-- none, without a second pass over its tokens, when the matches the
-- context found already are none (an alias that occurs at all starts a
-- leftmost-longest match too; two documents in three of the job bench's).
-- Fuzzy matching is not taken for granted so.
local NO_MATCHES = require("lector.core").ffi.new("lector_gazetteer_matches[1]")
local function overlaps(ctx)
  local raw = rawget(ctx, "raw_matches")
  if raw and raw.n == 0 and not ctx.gazetteer.has_fuzzy then return NO_MATCHES end
  return ctx.overlap_buffer
end

-- The loop over a pattern the document cannot match.
local function no_match() return nil end

-- Two matches of one layer that overlap and count the same number are one
-- claim ("killing 60 militants" and "60 militants"): the longer stays.
local function same_claim(a, b)
  return a.count_at and a.count_at == b.count_at and a.start <= b.stop and b.start <= a.stop
end

-- Spans by start, the longer first at one start.
local function outer_first(a, b)
  if a.start ~= b.start then return a.start < b.start end
  return a.stop > b.stop
end

--- Stage: every match of the patterns (from M.load_patterns) becomes an
-- annotation in its row's layer with its label; captures become attrs
-- (name = text, name_entity = the gazetteer entity the capture covers),
-- a count capture gives attrs.value, attrs.pattern names the row
-- (FILE:LINE) that matched. One span, one layer, one label: one
-- annotation, whichever rows matched it.
function M.patterns(pats)
  local layers, seen = {}, {}
  -- Which rows name gazetteer types (@TYPE): they read the document's
  -- matches, found once for all of them. Decided once, not per document.
  local typed = {}
  for i, p in ipairs(pats) do
    if not seen[p.layer] then
      seen[p.layer] = true
      layers[#layers + 1] = p.layer
    end
    typed[i] = p.pattern.gazetteer ~= nil and p.pattern.src:find("@", 1, true) ~= nil
  end
  local gopts = {} -- {gazetteer_matches =} for the document in hand
  -- Which patterns can match the document at all, one pass over its
  -- tokens for them all (lector.pattern.set): each pattern's own first
  -- look at every token (7 passes a document), and the whole matcher
  -- wherever the document had gazetteer matches, were most of the stage;
  -- most documents hold no token most patterns' matches can begin or end
  -- at. (The gazetteer's overlapping matches are then needed only for the
  -- patterns that run.)
  local pset
  local function set_of()
    local compiled = {}
    for i, p in ipairs(pats) do compiled[i] = p.pattern end
    return pattern.set(compiled)
  end
  pset = set_of()
  return profile.stage("patterns", function(ctx, emit)
    local np = #pats
    if np == 0 then return end
    if np ~= pset.n then pset = set_of() end -- (rows added since: one byte each)
    local toks = ctx.tokens
    local can = pset:can_match(toks)
    local by_layer
    gopts.gazetteer_matches = nil
    for i = 1, np do
      local p = pats[i]
      local popts
      -- 0: no match here; 2: only through gazetteer matches (@TYPE)
      local may = can[i - 1]
      local run = may ~= 0
      if run and typed[i] and p.pattern.gazetteer == ctx.gazetteer then
        if gopts.gazetteer_matches == nil then gopts.gazetteer_matches = overlaps(ctx) end
        popts = gopts
        if may == 2 then run = gopts.gazetteer_matches[0].n > 0 end
      end
      for m in run and p.pattern:matches(toks, popts) or no_match do
        by_layer = by_layer or {}
        -- attrs.pattern: the row that matched (FILE:LINE), so a wrong hit
        -- is one look away from its rule
        local attrs = { pattern = p.source }
        local entity, count_at
        for name, c in pairs(m.captures) do
          attrs[name] = c.text
          if ctx.gazetteer then
            local e = ctx:entity_of(c.first, c.last)
            if e then
              attrs[name .. "_entity"] = e
              entity = entity or e
            end
          end
          if name == "count" then count_at = c.start end
        end
        if attrs.count then attrs.value = tonumber((attrs.count:gsub(",", ""))) end
        local list = by_layer[p.layer]
        if not list then
          list = {}
          by_layer[p.layer] = list
        end
        list[#list + 1] = { start = m.start, stop = m.stop, label = p.label, entity = entity,
                            sentence = ctx:sentence_at(m.start), attrs = attrs, count_at = count_at }
      end
    end
    gopts.gazetteer_matches = nil -- the document's, not kept past it
    if not by_layer then return end
    for _, layer in ipairs(layers) do
      local list = by_layer[layer]
      if list then
        table.sort(list, outer_first)
        local kept = {}
        for _, s in ipairs(list) do
          local dup = false
          for j = #kept, math.max(1, #kept - 8), -1 do
            local k = kept[j]
            if (k.start == s.start and k.stop == s.stop and k.label == s.label) or same_claim(k, s) then
              dup = true
              break
            end
          end
          if not dup then kept[#kept + 1] = s end
        end
        for _, s in ipairs(kept) do
          s.count_at = nil
          emit(layer, s)
        end
      end
    end
  end, layers)
end

--- The extractor names of a list ("all", "quantities,dates", an array),
-- in the order they run; raises naming an unknown one.
function M.extractor_list(list)
  local extract = require "lector.extract"
  local want = {}
  if list == nil or list == "all" or (type(list) == "table" and #list == 1 and list[1] == "all") then
    for _, n in ipairs(extract.order) do want[n] = true end
  else
    if type(list) == "string" then
      local t = {}
      for n in list:gmatch("[^,%s]+") do t[#t + 1] = n end
      list = t
    end
    for _, n in ipairs(list) do
      if n ~= "none" then
        if not extract.layers[n] then
          error(string.format("no extractor '%s' (known: %s, all, none)", n,
            table.concat(extract.order, ", ")), 2)
        end
        want[n] = true
      end
    end
  end
  local out = {}
  for _, n in ipairs(extract.order) do if want[n] then out[#out + 1] = n end end
  return out
end

-- Documents longer than this are extracted a window at a time.
local EXTRACT_WINDOW = 1e6

--- Stage: the extractors of list (M.extractor_list) on the context, each
-- writing its layer (boilerplate, quantity, date, quote, source, hedge).
-- opts.lexicons: a directory of lexicons adding to or replacing the
-- shipped ones; opts.window: the window (bytes) a longer document is read
-- in (default 1 MB, cut at paragraph breaks).
function M.extractors(list, opts)
  local extract = require "lector.extract"
  local names = M.extractor_list(list)
  local layers = {}
  for i, n in ipairs(names) do layers[i] = extract.layers[n] end
  local xopts = { lexicons = opts and opts.lexicons }
  local window = opts and opts.window or EXTRACT_WINDOW
  local function each_part(ctx, emit)
    local found = extract._run_names(ctx, names, xopts)
    local t0 = profile.on and profile.clock()
    for _, layer in ipairs(layers) do
      local spans = found[layer]
      if spans then
        local sn -- the last span's sentence: spans come mostly in text order
        for i = 1, #spans do
          local sp = spans[i]
          -- Every annotation says its sentence (attrs.sentence, as the
          -- entity and pattern layers do) and a cited source is the
          -- source span's entity when the gazetteer or the outlets know it.
          local attrs = sp.attrs
          if not attrs then
            attrs = {}
            sp.attrs = attrs
          end
          if attrs.sentence == nil then
            sn = sentence_at(ctx, sp.start, sn)
            attrs.sentence = sn
          end
          if layer == "source" and sp.entity == nil then sp.entity = attrs.source_entity end
        end
      end
    end
    -- Then handed on, in a loop of their own: in the loop above, the
    -- sink's packing made one long trace of the sentence search and the
    -- store's checks, and the spans' many shapes its side traces
    -- (extract.spans 0.13 -> 0.09 s on the job bench).
    for _, layer in ipairs(layers) do
      local spans = found[layer]
      if spans then
        -- extract.run added them to ctx already
        for i = 1, #spans do emit(layer, spans[i], true) end
      end
    end
    if t0 then profile.add("extract.spans", profile.clock() - t0) end
  end
  -- A document of many MB (a crawl's dump, a book) is read in windows
  -- of about `window` bytes cut at paragraph breaks: the extractors keep
  -- tables per token, and a window's worth at a time bounds them. Spans
  -- and their sentence numbers are the document's. (Apart from the stage
  -- itself: its closure per window would stop LuaJIT compiling the stage.)
  local function windows(ctx, emit)
    local text = ctx.text
    local pos, sent0 = 1, 0
    while pos <= #text do
      local cut = pos + window - 1
      if cut >= #text then
        cut = #text
      else
        local para = text:find("\n%s*\n", cut)
        cut = para and para or #text
      end
      local part = context.new({ text = text:sub(pos, cut), published = ctx.doc.published,
                                 uri = ctx.doc.uri, id = ctx.doc.id },
                               { gazetteer = ctx.gazetteer })
      local shift = pos - 1
      -- the window's context holds these spans, the document's not yet
      each_part(part, function(layer, sp)
        sp.start, sp.stop = sp.start + shift, sp.stop + shift
        if sp.attrs.sentence then sp.attrs.sentence = sp.attrs.sentence + sent0 end
        if type(sp.attrs.claims) == "table" then
          for k, c in ipairs(sp.attrs.claims) do sp.attrs.claims[k] = c + shift end
        end
        emit(layer, sp)
      end)
      sent0 = sent0 + part.raw_sentences.n
      part:release()
      pos = cut + 1
      collectgarbage()
    end
  end
  return function(ctx, emit)
    if #names == 0 then return end
    if #ctx.text <= window then return each_part(ctx, emit) end
    return windows(ctx, emit)
  end, layers
end

return M
