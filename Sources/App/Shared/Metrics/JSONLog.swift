import Foundation
import Logging

/// One JSON object per line on standard error (`LOG_FORMAT=json`), for log collectors: time, level,
/// message, source and the metadata — `request-id` among it for everything a request logs.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let label: String
    let output: @Sendable (Data) -> Void

    public init(label: String, level: Logger.Level, output: @escaping @Sendable (Data) -> Void = { FileHandle.standardError.write($0) }) {
        self.label = label
        logLevel = level
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = ["time": Self.time(), "level": event.level.rawValue, "message": event.message.description,
                                        "logger": label, "source": event.source]
        for (k, v) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { fields[k] = v.description }
        if let error = event.error { fields["error"] = String(describing: error) }
        fields["location"] = "\((event.file as NSString).lastPathComponent):\(event.line)"
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        output(data + Data("\n".utf8))
    }

    static func time() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }

    /// `LOG_FORMAT=json` chooses this handler; `LOG_LEVEL` still sets the level.
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
    }
}
