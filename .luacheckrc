std = "luajit"
max_line_length = 120
files["tests/spec"] = { std = "+busted" }
-- scripts run by the binary see the library as a global
files["examples"] = { read_globals = { "lector" } }
