// libFuzzer harness: the notebook language's lexer and parser, with the vocabulary of the verbs
// that ship (the words a script can really use). The input is read as UTF-8 the way a script file
// is; the error messages are formatted too, since they quote the source under a caret.
import Notebook

private let vocabulary = VerbRegistry().vocabulary

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNotebook(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let source = SourceText(name: "fuzz.hsl", text: text)
    do { _ = try Lexer.tokenize(source) } catch { _ = error.attaching(source).formatted() }
    do { _ = try Parser.parse(source, vocabulary: vocabulary) } catch { _ = error.attaching(source).formatted() }
    do { _ = try Parser.parseExpression(source, vocabulary: vocabulary) } catch { _ = error.attaching(source).formatted() }
    return 0
}
