/// A safetensors file that cannot be read or written: names the file and what is wrong with it.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "safetensors file \(path) \(problem)" }
}
