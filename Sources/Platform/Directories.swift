import Foundation

/// Output directories: made when missing (`mkdir -p`), with errors that name the directory that
/// could not be made and why.
public enum Directories {
    /// Creates `path` and its missing parents; succeeds when it already is a directory.
    /// Throws when a component is a file, or a directory cannot be made (permissions, full disk).
    public static func make(_ path: String) throws(FileWriteError) {
        let target = URL(fileURLWithPath: path).standardizedFileURL
        if isDirectory(target.path) { return }
        var missing: [String] = []
        var current = target
        while !FileManager.default.fileExists(atPath: current.path) && current.path != "/" {
            missing.append(current.path)
            current = current.deletingLastPathComponent()
        }
        guard isDirectory(current.path) else {
            throw FileWriteError(path: path, problem: "cannot create directory \(QuotedText.safe(path)): "
                                 + "\(QuotedText.safe(current.path)) is a file, not a directory")
        }
        for component in missing.reversed() where mkdir(component, 0o777) != 0 && errno != EEXIST {
            throw FileWriteError(path: path, problem: "cannot create directory \(QuotedText.safe(path)): making "
                                 + "\(QuotedText.safe(component)) failed: \(errorText(errno)); check the path and its permissions")
        }
    }

    /// Makes `path` (as ``make(_:)``) and checks that files can be created in it.
    public static func makeWritable(_ path: String) throws(FileWriteError) {
        if FileManager.default.fileExists(atPath: path), !isDirectory(path) {
            throw FileWriteError(path: path, problem: "it exists and is not a directory; choose another output directory")
        }
        try make(path)
        guard access(path, W_OK) == 0 else {
            throw FileWriteError(path: path, problem: "the directory is not writable; choose another output directory or fix its permissions")
        }
    }

    /// Whether `path` names an existing directory (following symbolic links).
    public static func isDirectory(_ path: String) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
    }
}

/// The text of an `errno` value, for messages.
func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }
