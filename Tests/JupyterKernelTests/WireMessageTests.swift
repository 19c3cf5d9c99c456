import XCTest
@testable import JupyterKernel
@testable import Notebook

/// The wire format and signatures, without sockets; the live protocol is tested with real Jupyter
/// clients in python/tests/test_kernel.py.
final class WireMessageTests: XCTestCase {
    func testSignatureIsHexHMACSHA256() {
        // RFC 4231-style known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
        let signer = MessageSigner(key: "key")
        let parts = [Array("The quick brown fox ".utf8), Array("jumps over the lazy dog".utf8)]
        XCTAssertEqual(signer.signature(of: parts), "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
        XCTAssertTrue(signer.isValid(Array("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8".utf8), for: parts))
        XCTAssertFalse(signer.isValid(Array("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd9".utf8), for: parts))
        XCTAssertFalse(signer.isValid(Array("zz".utf8), for: parts))
        XCTAssertEqual(MessageSigner(key: "").signature(of: parts), "", "an empty key signs nothing, as Jupyter does")
    }

    func testEncodeThenDecodeKeepsEverything() throws {
        let signer = MessageSigner(key: "secret")
        let header = WireMessage.header(type: "execute_request", session: "s1")
        let message = WireMessage(identities: [[1, 2, 3]], header: header, parentHeader: [:], metadata: ["a": 1],
                                  content: ["code": "print \"ü\"\n1 + 1", "silent": false], buffers: [[9, 9]])
        let parts = message.encode(signer: signer)
        XCTAssertEqual(parts[0], [1, 2, 3])
        XCTAssertEqual(parts[1], WireMessage.delimiter)
        let decoded = try WireMessage.decode(parts, signer: signer)
        XCTAssertEqual(decoded.identities, [[1, 2, 3]])
        XCTAssertEqual(decoded.type, "execute_request")
        XCTAssertEqual(decoded.header, header)
        XCTAssertEqual(decoded.content["code"]?.string, "print \"ü\"\n1 + 1")
        XCTAssertEqual(decoded.content["silent"]?.bool, false)
        XCTAssertEqual(decoded.metadata["a"]?.integer, 1)
        XCTAssertEqual(decoded.buffers, [[9, 9]])
        XCTAssertEqual(header["version"]?.string, "5.3")
    }

    func testForgedOrBrokenMessagesAreRejected() throws {
        let message = WireMessage(header: WireMessage.header(type: "shutdown_request", session: "s"), content: [:])
        let forged = message.encode(signer: MessageSigner(key: "not the key"))
        XCTAssertThrowsError(try WireMessage.decode(forged, signer: MessageSigner(key: "key"))) { error in
            XCTAssertEqual(error as? WireError, .badSignature)
        }
        var tampered = message.encode(signer: MessageSigner(key: "key"))
        tampered[tampered.count - 1] = Array("{\"restart\": true}".utf8)
        XCTAssertThrowsError(try WireMessage.decode(tampered, signer: MessageSigner(key: "key")))
        XCTAssertThrowsError(try WireMessage.decode([[1], [2]], signer: MessageSigner(key: "")))
        let noType = [WireMessage.delimiter, [], Array("{}".utf8), Array("{}".utf8), Array("{}".utf8), Array("{}".utf8)]
        XCTAssertThrowsError(try WireMessage.decode(noType, signer: MessageSigner(key: ""))) { error in
            XCTAssertEqual(error as? WireError, .malformed("the header has no msg_type"))
        }
        let notJSON = [WireMessage.delimiter, [], [0xFF, 0x00], Array("{}".utf8), Array("{}".utf8), Array("{}".utf8)]
        XCTAssertThrowsError(try WireMessage.decode(notJSON, signer: MessageSigner(key: "")))
    }

    func testTimestampsAreISO8601WithMicroseconds() {
        XCTAssertEqual(WireMessage.timestamp(Date(timeIntervalSince1970: 1_700_000_000.25)), "2023-11-14T22:13:20.250000Z")
    }

    func testConnectionFileIsReadAndChecked() throws {
        let json: JSONValue = ["transport": "tcp", "ip": "127.0.0.1", "shell_port": 1, "iopub_port": 2, "stdin_port": 3,
                               "control_port": 4, "hb_port": 5, "key": "k", "signature_scheme": "hmac-sha256"]
        let info = try ConnectionInfo(json: json, source: "c.json")
        XCTAssertEqual(info.endpoint(info.controlPort), "tcp://127.0.0.1:4")
        var missing = json.object!
        missing["hb_port"] = nil
        XCTAssertThrowsError(try ConnectionInfo(json: .object(missing), source: "c.json")) { error in
            XCTAssertTrue("\(error)".contains("'hb_port'"), "\(error)")
        }
        var md5 = json.object!
        md5["signature_scheme"] = "hmac-md5"
        XCTAssertThrowsError(try ConnectionInfo(json: .object(md5), source: "c.json"))
        XCTAssertThrowsError(try ConnectionInfo(contentsOf: "/nonexistent/kernel.json")) { error in
            XCTAssertTrue("\(error)".contains("no such file"), "\(error)")
        }
    }

    func testKernelSpecStartsThisExecutableWithSignalInterrupts() throws {
        let spec = KernelSpec.json(executable: "/opt/hybridsign")
        XCTAssertEqual(spec["argv"], ["/opt/hybridsign", "kernel", "-f", "{connection_file}"])
        XCTAssertEqual(spec["interrupt_mode"]?.string, "signal")
        XCTAssertEqual(spec["display_name"]?.string, "HybridSign")
        XCTAssertEqual(KernelSpec.Location.user.kernelsDirectory(environment: ["JUPYTER_DATA_DIR": "/d"]), "/d/kernels")
        XCTAssertEqual(KernelSpec.Location.user.kernelsDirectory(environment: ["HOME": "/h"]), "/h/.local/share/jupyter/kernels")
        XCTAssertEqual(KernelSpec.Location.prefix("/p").kernelsDirectory(), "/p/share/jupyter/kernels")
    }
}
