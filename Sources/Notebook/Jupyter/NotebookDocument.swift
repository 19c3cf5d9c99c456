import Foundation

/// A session as a Jupyter notebook (nbformat 4.5): one code cell per session cell, with its
/// outputs as the kernel would have sent them and its images embedded, so the file opens in
/// Jupyter (with the HybridSign kernel) and stays whole wherever it is moved.
public enum NotebookDocument {
    /// The notebook of `cells`, opened by a Markdown cell with `title` and the export date.
    public static func make(_ cells: [Cell], title: String = "HybridSign notebook", date: Date = Date()) -> JSONValue {
        let heading = "# \(title)\n\nExported \(exportDate(date)) · \(cells.count) \(cells.count == 1 ? "cell" : "cells")"
        var notebookCells: [JSONValue] = [
            ["cell_type": "markdown", "id": "title", "metadata": [:], "source": source(heading)],
        ]
        for cell in cells {
            notebookCells.append([
                "cell_type": "code",
                "id": .string("cell-\(cell.number)"),
                "execution_count": .number(Double(cell.number)),
                "metadata": [:],
                "source": source(cell.source),
                "outputs": .array(outputs(of: cell)),
            ])
        }
        return [
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": ["kernelspec": JupyterOutput.kernelspecMetadata, "language_info": JupyterOutput.languageInfo],
            "cells": .array(notebookCells),
        ]
    }

    /// The cell's outputs in order: runs of printed text as streams, images as display data, the
    /// last value as the execution result (earlier values as display data), the error last.
    static func outputs(of cell: Cell) -> [JSONValue] {
        let lastValue = cell.outputs.lastIndex { if case .value = $0 { return true } else { return false } }
        var outputs: [JSONValue] = []
        var stream: (name: String, text: String)?
        func flush() {
            if let pending = stream { outputs.append(["output_type": "stream", "name": .string(pending.name), "text": source(pending.text)]) }
            stream = nil
        }
        for (index, output) in cell.outputs.enumerated() {
            switch output {
            case .standardOutput(let text), .standardError(let text):
                let name = if case .standardOutput = output { "stdout" } else { "stderr" }
                if stream?.name == name {
                    stream?.text += text
                } else {
                    flush()
                    stream = (name, text)
                }
            case .value(let value):
                flush()
                let data = JSONValue.object(JupyterOutput.bundle(for: value))
                outputs.append(index == lastValue
                    ? ["output_type": "execute_result", "execution_count": .number(Double(cell.number)), "data": data, "metadata": [:]]
                    : ["output_type": "display_data", "data": data, "metadata": [:]])
            case .figure(let figure):
                flush()
                outputs.append(["output_type": "display_data", "data": .object(JupyterOutput.bundle(for: figure)), "metadata": [:]])
            case .error(let error):
                flush()
                var content = JupyterOutput.errorContent(error)
                content["output_type"] = "error"
                outputs.append(.object(content))
            }
        }
        flush()
        return outputs
    }

    /// Text as a notebook stores it: a list of lines, each with its newline but the last.
    static func source(_ text: String) -> JSONValue {
        var lines: [JSONValue] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == "\n" || character == "\r\n" {
                lines.append(.string(current))
                current = ""
            }
        }
        if !current.isEmpty { lines.append(.string(current)) }
        return .array(lines)
    }

    /// `2025-01-31 14:05 UTC`.
    static func exportDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}
