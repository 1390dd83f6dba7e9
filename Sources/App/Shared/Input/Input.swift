import Vapor
import MultipartKit
import DiandanCore

extension Request {
    private struct FormKey: StorageKey { typealias Value = [String: [String]] }
    private struct FilesKey: StorageKey { typealias Value = [String: [(name: String, data: ByteBuffer)]] }

    var isMultipart: Bool { headers.contentType?.type == "multipart" && headers.contentType?.subType == "form-data" }

    /// The form's text fields, parsed once, from a url-encoded body (or a multipart one already
    /// received by `receiveUpload`). Repeated keys and `name[]` keep every value; files of a
    /// multipart body are kept aside (`uploadedFiles`).
    ///
    /// A multipart body is never read here: routes that take photos are registered with
    /// `body: .stream` and call `receiveUpload(limit:)` once they know who asks and that they may.
    func formFields() async throws -> [String: [String]] {
        if let cached = storage[FormKey.self] { return cached }
        var fields: [String: [String]] = [:]
        if headers.contentType == .urlEncodedForm {
            let body = try await body.collect(max: 1 << 20).get()
            let text = body.map { String(buffer: $0) } ?? ""
            fields = FormBody.parse(text)
        } else if isMultipart {
            throw AppError.unsupportedMediaType
        }
        try keep(fields, files: [:])
        return fields
    }

    private func keep(_ fields: [String: [String]], files: [String: [(name: String, data: ByteBuffer)]]) throws {
        // PostgreSQL refuses text with a NUL byte; such a form is refused here, before any query.
        if fields.contains(where: { $0.key.contains("\u{0}") || $0.value.contains { $0.contains("\u{0}") } }) {
            throw AppError.badRequest(Message("error.null_byte"))
        }
        storage[FormKey.self] = fields
        storage[FilesKey.self] = files
    }

    /// Receives the body of a route that takes photos (registered with `body: .stream`), after the
    /// handler has checked who asks and that they may act on the target: streamed up to `limit`
    /// bytes (413 past it), then a multipart body is parsed on the thread pool, never on the event
    /// loop, while at most `UploadSlots.permits` uploads are received at once in this process. A
    /// JSON or url-encoded body is read as usual (1 MB).
    func receiveUpload(limit: Int) async throws {
        guard storage[FormKey.self] == nil, isMultipart else { return }
        guard let boundary = headers.contentType?.parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 200 else {
            throw AppError.badRequest(Message("error.malformed_body"))
        }
        if let length = headers.first(name: .contentLength).flatMap(Int.init), length > limit { throw AppError.payloadTooLarge }
        // Reading and parsing take turns apart: a slow phone holds a place among those being read,
        // never one of the few being parsed.
        let body: ByteBuffer = try await application.uploadReading.holding {
            let body: ByteBuffer
            do {
                body = try await self.body.collect(max: limit).get() ?? ByteBuffer()
            } catch let abort as AbortError where abort.status == .payloadTooLarge {
                throw AppError.payloadTooLarge
            }
            // A body handed over whole (not streamed) is held to the same limit.
            guard body.readableBytes <= limit else { throw AppError.payloadTooLarge }
            return body
        }
        let parsed = try await application.uploadSlots.holding {
            try await application.threadPool.runIfActive { () -> ([String: [String]], [String: [(name: String, data: ByteBuffer)]]) in
                var fields: [String: [String]] = [:]
                var files: [String: [(name: String, data: ByteBuffer)]] = [:]
                for part in try FormBody.parts(body, boundary: boundary) {
                    guard let name = part.name else { continue }
                    if let filename = Self.filename(of: part) {
                        if part.body.readableBytes > 0 { files[name, default: []].append((filename, part.body)) }
                    } else {
                        fields[name, default: []].append(String(buffer: part.body))
                    }
                }
                return (fields, files)
            }
        }
        try keep(parsed.0, files: parsed.1)
    }

    /// Files sent in a multipart form under `name` (or `name[]`), once `receiveUpload` has read it.
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

/// The query string, read with the same rules and messages as a form: a value that is not what it
/// should be is refused (422, naming the parameter), never ignored or quietly moved into range, and
/// every number is bounded before anything counts with it.
extension Request {
    private struct QueryKey: StorageKey { typealias Value = [String: [String]] }

    /// Every parameter of the query string, decoded once.
    var queryFields: [String: [String]] {
        if let cached = storage[QueryKey.self] { return cached }
        let parsed = FormBody.parse(url.query ?? "")
        storage[QueryKey.self] = parsed
        return parsed
    }

    private func readQuery<T>(_ name: String, _ read: (inout FieldReader) -> T?) throws -> T? {
        guard let values = queryFields[name], let last = values.last else { return nil }
        // One value a parameter: the API refuses a parameter given twice rather than pick one.
        if isAPI, values.count > 1 { throw ValidationFailure(field: name, "error.repeated") }
        // A page's filter form sends its empty fields (`?site=&from=`): there, empty is "any". The API
        // takes a parameter given as a value that must be one.
        if last.trimmingCharacters(in: .whitespaces).isEmpty {
            if isAPI { throw ValidationFailure(field: name, "error.required") }
            return nil
        }
        var r = FieldReader(form: [name: [last]])
        let value = read(&r)
        try r.check()
        return value
    }

    /// A whole number within `range`; nil when the parameter is absent.
    func queryInt(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        try readQuery(name) { $0.int(name, required: true, in: range) }
    }

    /// The id of a row (1…2³¹−1); nil when absent. Whether the row exists is the caller's question.
    func queryID(_ name: String) throws -> Int? { try queryInt(name, in: QueryBounds.id) }

    /// A page number of a paged list (1…10,000).
    func queryPage(_ name: String = "page") throws -> Int { try queryInt(name, in: QueryBounds.page) ?? 1 }

    /// One of an enumeration's values; nil when absent.
    func queryChoice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        try readQuery(name) { $0.choice(name, type, required: true) }
    }

    /// Text of at most `max` characters, trimmed; nil when absent or empty.
    func queryText(_ name: String, max: Int) throws -> String? {
        guard queryFields[name]?.last?.trimmingCharacters(in: .whitespaces).isEmpty == false else { return nil }
        return try readQuery(name) { $0.text(name, required: false, max: max) }
    }

    /// A moment: ISO 8601, or China time as forms write it (`2026-11-23T09:30`); nil when absent.
    func queryMoment(_ name: String) throws -> Date? {
        guard let raw = try readQuery(name, { $0.text(name, required: true, max: 40) }) else { return nil }
        guard let d = ChinaTime.parse(raw, formats: ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"]) else {
            throw ValidationFailure(field: name, "error.date_format")
        }
        return d
    }

    /// A day, `yyyy-MM-dd`; nil when absent or empty.
    func queryDay(_ name: String) throws -> String? {
        if isAPI, queryFields[name]?.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { throw ValidationFailure(field: name, "error.date_format") }
        guard let raw = try queryText(name, max: 10) else { return nil }
        guard ChinaTime.parse(raw, formats: ["yyyy-MM-dd"]) != nil else { throw ValidationFailure(field: name, "error.date_format") }
        return raw
    }

    /// A yes/no flag (1, true, yes, on / 0, false, no, off); nil when absent.
    func queryFlag(_ name: String) throws -> Bool? {
        guard queryFields[name] != nil else { return nil }
        if !isAPI, queryFields[name]?.last?.isEmpty == true { return nil }
        guard let v = queryFields[name]?.last?.lowercased(), ["1", "true", "yes", "on", "0", "false", "no", "off"].contains(v) else {
            throw ValidationFailure(field: name, "error.not_boolean")
        }
        return ["1", "true", "yes", "on"].contains(v)
    }

    /// A whole-number path parameter within `range` (ids: 1…2³¹−1); anything else is "not found".
    func pathInt(_ name: String, in range: ClosedRange<Int> = QueryBounds.id) throws -> Int {
        guard let raw = parameters.get(name), raw.utf8.count <= 12, let n = Int(raw), range.contains(n) else { throw AppError.notFound }
        return n
    }
}

/// An image asked for by `?format=`.
enum ImageFormat: String, CaseIterable { case svg, png }

/// The bounds of numbers the query strings carry.
enum QueryBounds {
    static let id = 1...Int(Int32.max)
    static let page = 1...10_000
    static let perPage = 1...100
}

/// How much a route that takes photos reads at most.
enum UploadLimit {
    /// Every photo a form may carry, at their largest, and the text beside them.
    static let photos = ImageKind.maxCount * ImageKind.maxBytes + (1 << 20)
    /// One photo and its text.
    static let onePhoto = ImageKind.maxBytes + (1 << 20)
}

/// At most `permits` uploads are received at once; the next waits its turn for a while, then is
/// told the server is busy (503 with Retry-After) rather than queueing without end.
actor UploadSlots {
    let permits: Int
    let patience: Duration
    private var used = 0

    init(permits: Int, patience: Duration = .seconds(20)) {
        self.permits = permits
        self.patience = patience
    }

    func acquire() async throws {
        if used < permits {
            used += 1
            return
        }
        let deadline = ContinuousClock.now.advanced(by: patience)
        while used >= permits {
            guard ContinuousClock.now < deadline else { throw AppError.busy(retryAfter: 5) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        used += 1
    }

    func release() {
        used = max(0, used - 1)
    }

    /// Runs `body` holding a slot, and gives it back exactly once whatever happens.
    nonisolated func holding<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await acquire()
        do {
            let value = try await body()
            await release()
            return value
        } catch {
            await release()
            throw error
        }
    }

    var inUse: Int { used }
}

extension Application {
    private struct UploadSlotsKey: StorageKey { typealias Value = UploadSlots }
    private struct UploadReadingKey: StorageKey { typealias Value = UploadSlots }

    /// Uploads being parsed at once (each holds its body in memory while the thread pool reads it).
    /// Made once by `configure`.
    var uploadSlots: UploadSlots {
        if let s = storage[UploadSlotsKey.self] { return s }
        let s = UploadSlots(permits: 2)
        storage[UploadSlotsKey.self] = s
        return s
    }

    /// Uploads being received at once (each up to its route's limit in memory). Made by `configure`.
    var uploadReading: UploadSlots {
        if let s = storage[UploadReadingKey.self] { return s }
        let s = UploadSlots(permits: 8, patience: .seconds(30))
        storage[UploadReadingKey.self] = s
        return s
    }
}
