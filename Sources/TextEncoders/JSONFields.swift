import Foundation

/// Typed reads of a parsed JSON object (`JSONSerialization`) that name the file and the field when
/// the value is missing or has the wrong type.
struct JSONFields {
    /// The file the object came from, for messages.
    let file: String
    /// The path of this object inside the file (`"model"`, `"normalizer.normalizers[1]"`), for messages.
    let path: String
    let object: [String: Any]

    init(file: String, path: String, object: [String: Any]) {
        self.file = file
        self.path = path
        self.object = object
    }

    /// Parses `data` as a JSON object.
    static func parse(_ data: Data, file: String) throws(TextEncoderError) -> JSONFields {
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw TextEncoderError("\(file) is not valid JSON (\(error.localizedDescription))")
        }
        guard let object = json as? [String: Any] else { throw TextEncoderError("\(file) is not a JSON object") }
        return JSONFields(file: file, path: "", object: object)
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String, _ problem: String) -> TextEncoderError {
        .field(file, name(key), problem)
    }

    func has(_ key: String) -> Bool {
        if let value = object[key], !(value is NSNull) { return true }
        return false
    }

    func string(_ key: String) throws(TextEncoderError) -> String {
        guard let value = object[key] as? String else { throw error(key, "is missing or not a string") }
        return value
    }

    func optionalString(_ key: String) throws(TextEncoderError) -> String? {
        guard has(key) else { return nil }
        return try string(key)
    }

    func int(_ key: String) throws(TextEncoderError) -> Int {
        guard let number = object[key] as? NSNumber else { throw error(key, "is missing or not an integer") }
        let value = number.doubleValue
        guard value == value.rounded(), Swift.abs(value) < 9e15 else { throw error(key, "is \(value), not an integer") }
        return Int(value)
    }

    func optionalInt(_ key: String) throws(TextEncoderError) -> Int? {
        guard has(key) else { return nil }
        return try int(key)
    }

    /// An integer that must lie in `range` (the size ceilings on what a file declares).
    func int(_ key: String, in range: ClosedRange<Int>, default fallback: Int? = nil) throws(TextEncoderError) -> Int {
        let value: Int
        if let fallback, !has(key) { value = fallback } else { value = try int(key) }
        guard range.contains(value) else {
            throw error(key, "is \(value), outside the supported range \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func double(_ key: String, default fallback: Double) throws(TextEncoderError) -> Double {
        guard has(key) else { return fallback }
        guard let number = object[key] as? NSNumber else { throw error(key, "is not a number") }
        return number.realValue
    }

    func bool(_ key: String, default fallback: Bool) throws(TextEncoderError) -> Bool {
        guard has(key) else { return fallback }
        guard let value = object[key] as? Bool else { throw error(key, "is not true or false") }
        return value
    }

    func optionalBool(_ key: String) throws(TextEncoderError) -> Bool? {
        guard has(key) else { return nil }
        guard let value = object[key] as? Bool else { throw error(key, "is not true, false or null") }
        return value
    }

    func object(_ key: String) throws(TextEncoderError) -> JSONFields {
        guard let value = object[key] as? [String: Any] else { throw error(key, "is missing or not an object") }
        return JSONFields(file: file, path: name(key), object: value)
    }

    func optionalObject(_ key: String) throws(TextEncoderError) -> JSONFields? {
        guard has(key) else { return nil }
        return try object(key)
    }

    func array(_ key: String) throws(TextEncoderError) -> [Any] {
        guard let value = object[key] as? [Any] else { throw error(key, "is missing or not a list") }
        return value
    }

    /// The objects of a list, each with its own path for messages.
    func objects(_ key: String) throws(TextEncoderError) -> [JSONFields] {
        var out: [JSONFields] = []
        for (i, item) in try array(key).enumerated() {
            guard let value = item as? [String: Any] else { throw error("\(key)[\(i)]", "is not an object") }
            out.append(JSONFields(file: file, path: name("\(key)[\(i)]"), object: value))
        }
        return out
    }
}
