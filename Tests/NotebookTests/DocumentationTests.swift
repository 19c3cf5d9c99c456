import Foundation
import XCTest
@testable import Notebook

/// The language page and the verb declarations must agree.
final class DocumentationTests: XCTestCase {
    func testEveryVerbIsDocumentedWithItsUsage() throws {
        let page = try String(contentsOf: repositoryRoot.appendingPathComponent("Docs/language.md"), encoding: .utf8)
        for signature in VerbRegistry().signatures {
            XCTAssertTrue(page.contains("### `\(signature.name)`"), "Docs/language.md has no section for \(signature.name)")
            XCTAssertTrue(page.contains("\n\(signature.usage)\n"), "Docs/language.md does not show: \(signature.usage)")
        }
        for command in SessionCommand.all {
            XCTAssertTrue(page.contains("`\(command.usage)`"), "Docs/language.md does not list \(command.usage)")
        }
    }

    func testEveryVerbExampleParses() throws {
        let registry = VerbRegistry()
        for signature in registry.signatures {
            for example in signature.examples {
                XCTAssertNoThrow(try Parser.parse(SourceText(name: "example", text: example), vocabulary: registry.vocabulary),
                                 "\(signature.name): \(example)")
            }
        }
    }
}
