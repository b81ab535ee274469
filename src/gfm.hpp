// cmark-gfm 0.29.0.gfm.6 (Debian) is not safe to parse on several threads at once: every parse
// (and every table row) switches the extensions' special characters ('~', ':', 'w' ...) on and
// off in a table shared by the whole process, so a parse on one thread can miss strikethrough
// or autolinks because another thread has just finished. Parsing (cmark_parser_feed and
// cmark_parser_finish) therefore holds this lock; everything else (the passes over a parsed tree
// and rendering it to HTML) stays parallel.
#pragma once

#include <mutex>

namespace tandem {

/// The one lock that every cmark-gfm parse in tandem holds.
std::mutex& cmark_parse_mutex();

}  // namespace tandem
