// libedit's readline-compatible interface (not GNU readline, which may also be installed).
#include <stdio.h>
#include <editline/readline.h>

/// Swift 6 rejects writes to C globals; these small setters do it on the C side.
typedef char **(*hs_completion_fn)(const char *text, int start, int end);
static inline void hs_set_completion_function(hs_completion_fn fn) {
    rl_attempted_completion_function = fn;
}
static inline void hs_set_completion_append_character(int c) {
    rl_completion_append_character = c;
}
static inline void hs_set_attempted_completion_over(int over) {
    rl_attempted_completion_over = over;
}
static inline void hs_set_basic_word_break_characters(const char *chars) {
    rl_basic_word_break_characters = (char *)chars;
}
static inline void hs_set_readline_name(const char *name) {
    rl_readline_name = (char *)name;
}
/// Replaces libedit's character reader; must be set before the first readline/using_history call.
typedef int (*hs_getc_fn)(FILE *);
static inline void hs_set_getc_function(hs_getc_fn fn) {
    rl_getc_function = fn;
}
/// 0: libedit installs no signal handlers of its own (the application handles SIGINT).
static inline void hs_set_catch_signals(int catch_signals) {
    rl_catch_signals = catch_signals;
}
static inline int hs_rl_point(void) { return rl_point; }
static inline const char *hs_rl_line_buffer(void) { return rl_line_buffer; }
