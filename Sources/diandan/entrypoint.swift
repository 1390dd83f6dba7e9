import App
import Vapor
import Logging

@main
enum Entrypoint {
    static func main() async throws {
        var env = try Environment.detect()
        // LOG_FORMAT=json: one JSON object per line for log collectors; otherwise Vapor's console lines.
        let logging: (level: Logger.Level, format: Settings.LogFormat)
        do {
            logging = try Settings.logging()
        } catch {
            FileHandle.standardError.write(Data("diandan: \(error)\n".utf8))
            exit(1)
        }
        if logging.format == .json { JSONLogHandler.bootstrap(level: logging.level) } else { try LoggingSystem.bootstrap(from: &env) }
        let app = try await Application.make(env)
        do {
            try await configure(app, options: .from(arguments: env.arguments))
            try await app.execute()
        } catch {
            // Configuration problems (a default secret in production, a bad DATABASE_URL) end here.
            FileHandle.standardError.write(Data("diandan: \(error)\n".utf8))
            try? await app.asyncShutdown()
            exit(1)
        }
        try await app.asyncShutdown()
    }
}
