import Foundation

/// Where verbs find the files they read, and how they say so when a file is missing.
///
/// A relative path is taken relative to the current directory. Inside a script
/// (`hybridsign run FILE`, `:load FILE`), a relative path that does not exist there is looked up
/// relative to the script's directory instead, so a script can name the files beside it.
/// Paths written by verbs (`to PATH`) are always relative to the current directory.
extension VerbContext {
    /// The file or directory `path` names for reading (see above); `~` is expanded.
    public func inputURL(_ path: String) -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        let current = URL(fileURLWithPath: expanded)
        guard !expanded.hasPrefix("/"), !FileManager.default.fileExists(atPath: current.path),
              let scriptDirectory else { return current }
        let besideScript = scriptDirectory.appendingPathComponent(expanded)
        return FileManager.default.fileExists(atPath: besideScript.path) ? besideScript : current
    }

    /// Where a relative path was looked for, for error hints: `looked in /cwd (and /script/dir)`.
    public func searchedPlaces(for path: String) -> String {
        if path.hasPrefix("/") || path.hasPrefix("~") { return "the path is absolute" }
        var places = "relative paths start in \(FileManager.default.currentDirectoryPath)"
        if let scriptDirectory { places += ", then in the script's directory \(scriptDirectory.path)" }
        return places
    }

    /// The URL of an input path that must exist, or an error pointing at the argument `name`.
    func existingInput(_ arguments: Arguments, _ name: String, what: String) throws(NotebookError) -> URL {
        let path = try arguments.string(name)
        let url = inputURL(path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw arguments.error("no \(what) at '\(path)'", at: name, hint: "check the path; \(searchedPlaces(for: path))")
        }
        return url
    }
}

/// The URL of a path a verb writes: relative to the current directory, `~` expanded; a trailing
/// `/` is kept so that "a directory" stays recognisable.
func outputURL(_ path: String) -> URL {
    let expanded = (path as NSString).expandingTildeInPath
    return URL(fileURLWithPath: expanded, isDirectory: path.hasSuffix("/"))
}

/// Creates the parent directory of `url` when missing, with an error that names it.
func createParentDirectory(of url: URL, arguments: Arguments, name: String) throws(NotebookError) {
    let parent = url.deletingLastPathComponent()
    do {
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
    } catch {
        throw arguments.error("cannot create the directory '\(parent.path)': \(error.localizedDescription)", at: name,
                              hint: "check that the path is writable")
    }
}

/// The URL of the `.safetensors` file a verb writes a model to, from its argument `name`, with its
/// parent directory created; `what` opens the error for any other extension.
func safetensorsOutputURL(_ arguments: Arguments, name: String, what: String, example: String) throws(NotebookError) -> URL {
    let path = try arguments.string(name)
    guard path.lowercased().hasSuffix(".safetensors") else {
        throw arguments.error("\(what); '\(path)' does not end in .safetensors", at: name,
                              hint: "for example: \(example)")
    }
    let url = outputURL(path)
    try createParentDirectory(of: url, arguments: arguments, name: name)
    return url
}
