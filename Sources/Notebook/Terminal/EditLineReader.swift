import CEditLine
import Foundation
import Platform

/// Reads lines with libedit: line editing, history kept in a file, and Tab completion from a
/// ``Completer``.
public final class EditLineReader: LineReader {
    private let historyPath: String
    private var lastLine: String?

    /// Sets up libedit. `completer` is asked for a fresh completer (current variables) on each Tab.
    public init(historyPath: String, completer: @escaping () -> Completer) {
        self.historyPath = historyPath
        EditLineCompletion.provider = completer
        // libedit inserts non-ASCII characters (ü, ß) only when the locale's character type
        // says they are printable; a process starts in the "C" locale.
        if setlocale(LC_CTYPE, "") == nil || !String(cString: nl_langinfo(nl_item(CODESET))).uppercased().contains("UTF") {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
        hs_set_readline_name("hybridsign")
        // Before libedit initialises (using_history does): our reader and no libedit signal handlers.
        hs_set_catch_signals(0)
        hs_set_getc_function(InterruptibleInput.getc)
        hs_set_completion_function(EditLineCompletion.callback)
        hs_set_basic_word_break_characters(EditLineCompletion.wordBreaks)
        using_history()
        stifle_history(2000)
        _ = read_history(historyPath)
    }

    /// `~/.hybridsign_history`.
    public static var defaultHistoryPath: String {
        let home = ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".hybridsign_history")
    }

    public func read(prompt: String) -> LineInput {
        InterruptFlag.process.clear()
        guard let raw = readline(prompt) else {
            // readline gives nil both for Ctrl-D and when Ctrl-C interrupted the read.
            if InterruptFlag.process.isSet {
                InterruptFlag.process.clear()
                return .interrupted
            }
            return .end
        }
        defer { free(raw) }
        let line = String(cString: raw)
        if InterruptFlag.process.isSet {
            InterruptFlag.process.clear()
            return .interrupted
        }
        return .line(line)
    }

    /// Adds the cell as one entry (libedit keeps the newlines inside it, in memory and in the
    /// history file), unless it repeats the previous one.
    public func remember(_ cell: String) {
        let entry = cell.trimmingCharacters(in: .newlines)
        guard !entry.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, entry != lastLine else { return }
        add_history(entry)
        _ = write_history(historyPath)
        lastLine = entry
    }
}

/// The bridge from libedit's C completion callback to ``Completer``.
enum EditLineCompletion {
    /// Supplies the completer; set by ``EditLineReader``. The REPL runs on one thread, and libedit
    /// calls back on it, so unsynchronised access is safe.
    nonisolated(unsafe) static var provider: (() -> Completer)?

    /// The word break characters, kept alive for libedit (it keeps the pointer).
    nonisolated(unsafe) static let wordBreaks: UnsafePointer<CChar> = UnsafePointer(strdup(Completer.wordBreakCharacters)!)

    /// `rl_attempted_completion_function`: returns a malloc'd, NULL-terminated array whose first
    /// entry replaces the word (the longest common prefix of the matches), followed by the matches.
    static let callback: hs_completion_fn = { _, _, end in
        hs_set_attempted_completion_over(1)
        guard let provider, let buffer = hs_rl_line_buffer() else { return nil }
        let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self),
                                              count: strlen(buffer)))
        let cursor = min(Int(end), bytes.count)
        let prefix = String(decoding: bytes[..<cursor], as: UTF8.self)
        let matches = provider().completions(forLinePrefix: prefix)
        guard !matches.isEmpty else { return nil }
        let single = matches.count == 1 ? matches[0] : nil
        hs_set_completion_append_character(single.map { $0.hasSuffix("/") ? 0 : 32 } ?? 32)
        let replacement = single ?? commonPrefix(matches)
        let entries = [replacement] + (single == nil ? matches : [])
        // Two terminating NULLs: libedit tests `matches[2] == NULL` to detect a single match, which
        // reads past a one-match array's terminator.
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: entries.count + 2)
        for (index, entry) in entries.enumerated() { array[index] = strdup(entry) }
        array[entries.count] = nil
        array[entries.count + 1] = nil
        // libedit frees the array and its strings with free(); allocate(capacity:) uses malloc on Linux.
        return array
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first.map(Array.init) else { return "" }
        for word in words.dropFirst() {
            let characters = Array(word)
            var length = 0
            while length < min(prefix.count, characters.count), prefix[length] == characters[length] { length += 1 }
            prefix = Array(prefix[..<length])
        }
        return String(prefix)
    }
}

/// libedit's character reader, replaced so that Ctrl-C ends the line being edited.
///
/// A SIGINT may be delivered to any thread of the process, so a blocking `read` on the main thread
/// is not reliably interrupted. Instead the reader polls standard input in short slices and gives
/// up (end of input, which makes `readline` return nil) as soon as the interrupt flag is set.
/// It decodes UTF-8 itself because libedit takes its result as one wide character.
enum InterruptibleInput {
    static let getc: hs_getc_fn = { _ in
        guard let first = readByte() else { return -1 }
        let length: Int
        var scalar: UInt32
        switch first {
        case 0..<0x80: return Int32(first)
        case 0xC0..<0xE0: length = 2; scalar = UInt32(first & 0x1F)
        case 0xE0..<0xF0: length = 3; scalar = UInt32(first & 0x0F)
        case 0xF0..<0xF8: length = 4; scalar = UInt32(first & 0x07)
        default: return 0xFFFD
        }
        for _ in 1..<length {
            guard let next = readByte() else { return -1 }
            guard next & 0xC0 == 0x80 else { return 0xFFFD }
            scalar = scalar << 6 | UInt32(next & 0x3F)
        }
        return Int32(bitPattern: scalar)
    }

    /// One byte of standard input, or nil at end of input or when an interrupt is pending.
    private static func readByte() -> UInt8? {
        while true {
            if InterruptFlag.process.isSet { return nil }
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 50)
            if ready < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if ready == 0 { continue }
            var byte: UInt8 = 0
            let count = Glibc.read(STDIN_FILENO, &byte, 1)
            if count == 1 { return byte }
            if count < 0 && errno == EINTR { continue }
            return nil
        }
    }
}
