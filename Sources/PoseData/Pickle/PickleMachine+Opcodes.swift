import Platform

extension PickleMachine {
    /// Executes one opcode (all but STOP, which ``run()`` handles).
    ///
    /// Longer than the usual limit on purpose: one `case` per opcode of the pickle protocol, each a
    /// few lines, read like the opcode table of Python's `pickletools`; splitting it would only
    /// scatter the table.
    mutating func execute(_ opcode: UInt8) throws(PoseDataError) {
        typealias Op = PickleOpcode
        switch opcode {
        // Framing and protocol.
        case Op.proto:
            let version = try readUnsigned(1, "PROTO")
            guard version <= 5 else { throw unsupported("pickle protocol \(version) is newer than 5, the highest this reader knows") }
            protocolVersion = Int(version)
        case Op.frame:
            let length = try readLength(8, "FRAME")
            guard try makeAvailable(length, "FRAME") else {
                throw malformed("FRAME announces \(length) bytes, but only \(end - position) remain: the data is truncated")
            }

        // Stack and marks.
        case Op.mark: marks.append(stack.count)
        case Op.pop:
            // As CPython: POP on an empty mark frame discards the mark instead.
            if stack.count > frameStart { stack.removeLast() } else { _ = try popMark("POP") }
        case Op.popMark: _ = try popMark("POP_MARK")
        case Op.dup: push(try top("DUP"))

        // Memo.
        case Op.put: try memoPut(try decimalKey("PUT"))
        case Op.binPut: try memoPut(Int(try readUnsigned(1, "BINPUT")))
        case Op.longBinPut: try memoPut(Int(try readUnsigned(4, "LONG_BINPUT")))
        case Op.memoize: try memoPut(memo.count)
        case Op.get: try memoGet(try decimalKey("GET"))
        case Op.binGet: try memoGet(Int(try readUnsigned(1, "BINGET")))
        case Op.longBinGet: try memoGet(Int(try readUnsigned(4, "LONG_BINGET")))

        // Scalars.
        case Op.none: push(.none)
        case Op.newTrue: push(.bool(true))
        case Op.newFalse: push(.bool(false))
        case Op.binInt: push(.int(Int(Int32(truncatingIfNeeded: try readUnsigned(4, "BININT")))))
        case Op.binInt1: push(.int(Int(try readUnsigned(1, "BININT1"))))
        case Op.binInt2: push(.int(Int(try readUnsigned(2, "BININT2"))))
        case Op.long1:
            let length = try readLength(1, "LONG1")
            push(PickleMachine.integer(fromTwosComplement: bytes[try take(length, "LONG1")]))
        case Op.long4:
            let length = Int(Int32(truncatingIfNeeded: try readUnsigned(4, "LONG4")))
            push(PickleMachine.integer(fromTwosComplement: bytes[try take(length, "LONG4")]))
        case Op.int:
            let line = try readLine("INT")
            if line == Array("00".utf8) { push(.bool(false)) } else if line == Array("01".utf8) { push(.bool(true)) } else {
                push(try decimalInteger(line, "INT"))
            }
        case Op.long:
            var line = try readLine("LONG")
            if line.last == UInt8(ascii: "L") { line.removeLast() }
            push(try decimalInteger(line, "LONG"))
        case Op.binFloat:
            push(.float(Double(bitPattern: UInt64(bigEndian: try readUnsigned(8, "BINFLOAT")))))
        case Op.float:
            let line = try readLine("FLOAT")
            let text = String(decoding: line, as: UTF8.self).trimmingWhitespace()
            guard let value = Double(text) else { throw malformed("FLOAT operand \(QuotedText.quoted(text.prefix(40))) is not a number") }
            push(.float(value))

        // Text and bytes.
        case Op.shortBinUnicode: try pushUnicode(try readLength(1, "SHORT_BINUNICODE"), "SHORT_BINUNICODE")
        case Op.binUnicode: try pushUnicode(try readLength(4, "BINUNICODE"), "BINUNICODE")
        case Op.binUnicode8: try pushUnicode(try readLength(8, "BINUNICODE8"), "BINUNICODE8")
        case Op.unicode:
            push(.string(PickleMachine.decodeRawUnicodeEscape(try readLine("UNICODE"))))
        case Op.shortBinBytes: try pushBytes(try readLength(1, "SHORT_BINBYTES"), "SHORT_BINBYTES")
        case Op.binBytes: try pushBytes(try readLength(4, "BINBYTES"), "BINBYTES")
        case Op.binBytes8: try pushBytes(try readLength(8, "BINBYTES8"), "BINBYTES8")
        case Op.byteArray8: try pushBytes(try readLength(8, "BYTEARRAY8"), "BYTEARRAY8")
        case Op.shortBinString:
            push(.string(PickleMachine.latin1(bytes[try take(try readLength(1, "SHORT_BINSTRING"), "SHORT_BINSTRING")])))
        case Op.binString:
            let length = Int(Int32(truncatingIfNeeded: try readUnsigned(4, "BINSTRING")))
            push(.string(PickleMachine.latin1(bytes[try take(length, "BINSTRING")])))
        case Op.string:
            let line = try readLine("STRING")
            guard let decoded = PickleMachine.decodeQuotedString(line) else {
                throw malformed("STRING operand is not a quoted Python string literal")
            }
            push(.string(PickleMachine.latin1(decoded[...])))
        case Op.nextBuffer:
            throw unsupported("NEXT_BUFFER: the pickle keeps its data out of band (written with a buffer_callback); save it without one")
        case Op.readonlyBuffer: _ = try top("READONLY_BUFFER")

        // Containers.
        case Op.emptyList: push(objects.add(.list))
        case Op.emptyDict: push(objects.add(.dict))
        case Op.emptyTuple: push(objects.add(.tuple))
        case Op.emptySet: push(objects.add(.set))
        case Op.list: push(objects.add(.list, items: try popMark("LIST")))
        case Op.tuple: push(objects.add(.tuple, items: try popMark("TUPLE")))
        case Op.frozenSet: push(objects.add(.frozenSet, items: try popMark("FROZENSET")))
        case Op.dict:
            let items = try popMark("DICT")
            guard items.count % 2 == 0 else { throw malformed("DICT has \(items.count) items after its MARK, not key-value pairs") }
            push(objects.add(.dict, items: items))
        case Op.tuple1:
            let first = try pop("TUPLE1")
            push(objects.add(.tuple, items: [first]))
        case Op.tuple2:
            let second = try pop("TUPLE2"), first = try pop("TUPLE2")
            push(objects.add(.tuple, items: [first, second]))
        case Op.tuple3:
            let third = try pop("TUPLE3"), second = try pop("TUPLE3"), first = try pop("TUPLE3")
            push(objects.add(.tuple, items: [first, second, third]))
        case Op.append:
            let value = try pop("APPEND")
            objects.append(try listTarget("APPEND"), value)
        case Op.appends:
            let items = try popMark("APPENDS")
            objects.append(try listTarget("APPENDS"), contentsOf: items)
        case Op.setItem:
            let value = try pop("SETITEM"), key = try pop("SETITEM")
            try setItems([key, value], "SETITEM")
        case Op.setItems:
            let items = try popMark("SETITEMS")
            guard items.count % 2 == 0 else { throw malformed("SETITEMS has \(items.count) items after its MARK, not key-value pairs") }
            try setItems(items, "SETITEMS")
        case Op.addItems:
            let items = try popMark("ADDITEMS")
            guard let set = object(try top("ADDITEMS"), { if case .set = $0 { return true } else { return false } }) else {
                throw malformed("ADDITEMS needs a set below its MARK, not \(try top("ADDITEMS").kind(in: objects))")
            }
            for item in items { objects.addMember(set, item) }

        // Globals and calls.
        case Op.global:
            let module = try readLine("GLOBAL")
            let name = try readLine("GLOBAL")
            push(try resolveGlobal(module: String(decoding: module, as: UTF8.self), name: String(decoding: name, as: UTF8.self)))
        case Op.stackGlobal:
            let name = try pop("STACK_GLOBAL"), module = try pop("STACK_GLOBAL")
            guard case .string(let moduleName) = module, case .string(let globalName) = name else {
                throw malformed("STACK_GLOBAL needs a module and a name as str, not \(module.kind(in: objects)) and \(name.kind(in: objects))")
            }
            push(try resolveGlobal(module: moduleName, name: globalName))
        case Op.reduce:
            let arguments = try pop("REDUCE"), callable = try pop("REDUCE")
            push(try call(callable, try tupleItems(arguments, "the arguments of REDUCE"), "REDUCE"))
        case Op.newObj:
            let arguments = try pop("NEWOBJ"), callable = try pop("NEWOBJ")
            push(try call(callable, try tupleItems(arguments, "the arguments of NEWOBJ"), "NEWOBJ"))
        case Op.newObjEx:
            let keywords = try pop("NEWOBJ_EX"), arguments = try pop("NEWOBJ_EX"), callable = try pop("NEWOBJ_EX")
            guard let dict = object(keywords, { if case .dict = $0 { return true } else { return false } }),
                  objects.items[dict].isEmpty else {
                throw unsupported("NEWOBJ_EX with keyword arguments is not rebuilt")
            }
            push(try call(callable, try tupleItems(arguments, "the arguments of NEWOBJ_EX"), "NEWOBJ_EX"))
        case Op.inst:
            let module = try readLine("INST"), name = try readLine("INST")
            let callable = try resolveGlobal(module: String(decoding: module, as: UTF8.self), name: String(decoding: name, as: UTF8.self))
            push(try call(callable, try popMark("INST"), "INST"))
        case Op.obj:
            let items = try popMark("OBJ")
            guard let callable = items.first else { throw malformed("OBJ needs a class after its MARK") }
            push(try call(callable, Array(items.dropFirst()), "OBJ"))
        case Op.build:
            let state = try pop("BUILD")
            try build(try top("BUILD"), state: state)
        case Op.persID:
            let line = try readLine("PERSID")
            push(try persistentLoad(.string(String(decoding: line, as: UTF8.self))))
        case Op.binPersID:
            push(try persistentLoad(try pop("BINPERSID")))
        case Op.ext1, Op.ext2, Op.ext4:
            throw unsupported("the pickle uses the copyreg extension registry (EXT opcodes), which this reader does not rebuild")
        default:
            throw malformed("unknown opcode 0x\(String(opcode, radix: 16)): this is not a pickle, or it is corrupt")
        }
    }

    // MARK: Helpers for the opcodes

    private mutating func memoPut(_ key: Int) throws(PoseDataError) {
        memo[key] = try top("PUT")
    }

    private mutating func memoGet(_ key: Int) throws(PoseDataError) {
        guard let node = memo[key] else { throw malformed("GET of memo key \(key), which was never PUT: the data is corrupt") }
        push(node)
    }

    private mutating func pushBytes(_ length: Int, _ what: String) throws(PoseDataError) {
        let range = try take(length, what)
        push(.bytes(bytes[range], at: baseOffset + range.lowerBound))
    }

    private mutating func pushUnicode(_ length: Int, _ what: String) throws(PoseDataError) {
        let range = try take(length, what)
        guard let text = String(validating: bytes[range], as: UTF8.self) else {
            throw malformed("\(what) holds \(length) bytes that are not valid UTF-8")
        }
        push(.string(text))
    }

    private func listTarget(_ what: String) throws(PoseDataError) -> Int {
        let target = try top(what)
        guard let list = object(target, { if case .list = $0 { return true } else { return false } }) else {
            throw malformed("\(what) needs a list to append to, not \(target.kind(in: objects))")
        }
        return list
    }

    private mutating func setItems(_ items: [PickleNode], _ what: String) throws(PoseDataError) {
        let target = try top(what)
        guard let dict = object(target, { if case .dict = $0 { return true } else { return false } }) else {
            throw malformed("\(what) needs a dict to store into, not \(target.kind(in: objects))")
        }
        var index = 0
        while index + 1 < items.count {
            guard PickleHashKey(items[index]) != nil || isHashableTuple(items[index]) else {
                throw malformed("\(what) uses a \(items[index].kind(in: objects)) as a dict key, which is unhashable")
            }
            objects.setItem(dict, key: items[index], value: items[index + 1])
            index += 2
        }
    }

    private func isHashableTuple(_ node: PickleNode) -> Bool {
        object(node, { if case .tuple = $0 { return true } else { return false } }) != nil
    }

    /// The memo key of a protocol 0 PUT or GET (a decimal line).
    private mutating func decimalKey(_ what: String) throws(PoseDataError) -> Int {
        let line = try readLine(what)
        guard let key = Int(String(decoding: line, as: UTF8.self).trimmingWhitespace()), key >= 0 else {
            throw malformed("\(what) operand is not a memo key")
        }
        return key
    }

    /// A decimal integer line (INT, LONG), of any size Python allows in a literal.
    private func decimalInteger(_ line: [UInt8], _ what: String) throws(PoseDataError) -> PickleNode {
        let text = String(decoding: line, as: UTF8.self).trimmingWhitespace()
        if let value = Int(text) { return .int(value) }
        // CPython refuses to convert decimal literals over 4300 digits; quadratic work beyond that.
        guard text.count <= 4300, let bytes = PickleMachine.twosComplement(decimal: text) else {
            throw malformed("\(what) operand \(QuotedText.quoted(text.prefix(40))) is not an integer Python would read")
        }
        return PickleMachine.integer(fromTwosComplement: bytes[...])
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line ends.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
