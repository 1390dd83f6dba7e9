import Fluent
import Foundation
import DiandanCore

/// A service category (服务类别); shared by the whole tree.
final class Category: Model, @unchecked Sendable {
    static let schema = "categories"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    @Field(key: "name") var name: String
    @Field(key: "name_en") var nameEn: String
    @Field(key: "sort_order") var sortOrder: Int
    @Field(key: "active") var active: Bool

    init() {}

    func displayName(_ locale: AppLocale) -> String { locale == .en ? nameEn : name }
}
