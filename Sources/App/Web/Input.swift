import Vapor
import MultipartKit
import DiandanCore

extension Request {
    private struct FormKey: StorageKey { typealias Value = [String: [String]] }
    private struct FilesKey: StorageKey { typealias Value = [String: [(name: String, data: ByteBuffer)]] }

    var isMultipart: Bool { headers.contentType?.type == "multipart" && headers.contentType?.subType == "form-data" }

    /// The form's text fields, parsed once, from a url-encoded or a multipart body. Repeated keys and
    /// `name[]` keep every value; files of a multipart body are kept aside (`uploadedFiles`).
    func formFields() async throws -> [String: [String]] {
        if let cached = storage[FormKey.self] { return cached }
        var fields: [String: [String]] = [:]
        var files: [String: [(name: String, data: ByteBuffer)]] = [:]
        if headers.contentType == .urlEncodedForm {
            let body = try await body.collect(max: 1 << 20).get()
            let text = body.map { String(buffer: $0) } ?? ""
            fields = FormBody.parse(text)
        } else if isMultipart, let boundary = headers.contentType?.parameters["boundary"] {
            let body = try await body.collect(max: 40 << 20).get() ?? ByteBuffer()
            for part in try FormBody.parts(body, boundary: boundary) {
                guard let name = part.name else { continue }
                if let filename = Self.filename(of: part) {
                    if part.body.readableBytes > 0 { files[name, default: []].append((filename, part.body)) }
                } else {
                    fields[name, default: []].append(String(buffer: part.body))
                }
            }
        }
        // PostgreSQL refuses text with a NUL byte; such a form is refused here, before any query.
        if fields.contains(where: { $0.key.contains("\u{0}") || $0.value.contains { $0.contains("\u{0}") } }) {
            throw AppError.badRequest(Message("error.null_byte"))
        }
        storage[FormKey.self] = fields
        storage[FilesKey.self] = files
        return fields
    }

    /// Files sent in a multipart form under `name` (or `name[]`).
    func uploadedFiles(_ name: String) async throws -> [(name: String, data: ByteBuffer)] {
        _ = try await formFields()
        let files = storage[FilesKey.self] ?? [:]
        return (files[name] ?? []) + (files[name + "[]"] ?? [])
    }

    private static func filename(of part: MultipartPart) -> String? {
        guard let disposition = part.headers.first(name: "Content-Disposition"),
              let range = disposition.range(of: "filename=\"") else { return nil }
        return String(disposition[range.upperBound...].prefix { $0 != "\"" })
    }

    /// A reader over the request's input: JSON object for the API, url-encoded form for pages.
    func fieldReader() async throws -> FieldReader {
        if headers.contentType == .json || (isAPI && headers.contentType == nil) {
            let buffer = try await body.collect(max: 1 << 20).get()
            guard let buffer, buffer.readableBytes > 0 else { throw AppError.badRequest(Message("error.malformed_body")) }
            do {
                let object = try JSONDecoder().decode([String: InputValue].self, from: Data(buffer: buffer))
                return FieldReader(object)
            } catch {
                throw AppError.badRequest(Message("error.malformed_body"))
            }
        }
        if headers.contentType == .urlEncodedForm || isMultipart {
            return FieldReader(form: try await formFields())
        }
        throw AppError.unsupportedMediaType
    }
}

enum FormBody {
    static func parts(_ body: ByteBuffer, boundary: String) throws -> [MultipartPart] {
        guard MultipartCheck.headerNamesAreASCII(body.getBytes(at: body.readerIndex, length: body.readableBytes) ?? [], boundary: boundary) else {
            throw AppError.badRequest(Message("error.malformed_body"))
        }
        var parts: [MultipartPart] = []
        var current = MultipartPart(headers: [:], body: ByteBuffer())
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in current.headers.add(name: name, value: value) }
        parser.onBody = { chunk in current.body.writeBuffer(&chunk) }
        parser.onPartComplete = {
            parts.append(current)
            current = MultipartPart(headers: [:], body: ByteBuffer())
        }
        do { try parser.execute(body) } catch { throw AppError.badRequest(Message("error.malformed_body")) }
        return parts
    }

    static func parse(_ text: String) -> [String: [String]] {
        var fields: [String: [String]] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            fields[key, default: []].append(value)
        }
        return fields
    }

    private static func decode(_ s: Substring) -> String {
        let plus = s.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }
}

/// Time is a parameter: rules get `now` from here, and tests pin it.
struct AppClock: Sendable {
    var now: @Sendable () -> Date = { Date() }
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = AppClock }

    var clock: AppClock {
        get { storage[ClockKey.self] ?? AppClock() }
        set { storage[ClockKey.self] = newValue }
    }

    private struct SettingsKey: StorageKey { typealias Value = Settings }

    var settings: Settings {
        get { storage[SettingsKey.self]! }
        set { storage[SettingsKey.self] = newValue }
    }

    private struct ProtectorKey: StorageKey { typealias Value = DataProtector }

    var protector: DataProtector {
        get { storage[ProtectorKey.self]! }
        set { storage[ProtectorKey.self] = newValue }
    }
}

extension Request {
    var now: Date { application.clock.now() }
}
