import Vapor
import DiandanCore

extension Request {
    private struct FormKey: StorageKey { typealias Value = [String: [String]] }

    /// The url-encoded body, parsed once. Repeated keys and `name[]` keep every value.
    func formFields() async throws -> [String: [String]] {
        if let cached = storage[FormKey.self] { return cached }
        var fields: [String: [String]] = [:]
        if headers.contentType == .urlEncodedForm {
            let body = try await body.collect(max: 1 << 20).get()
            let text = body.map { String(buffer: $0) } ?? ""
            fields = FormBody.parse(text)
        }
        storage[FormKey.self] = fields
        return fields
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
        if headers.contentType == .urlEncodedForm {
            return FieldReader(form: try await formFields())
        }
        throw AppError.unsupportedMediaType
    }
}

enum FormBody {
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
