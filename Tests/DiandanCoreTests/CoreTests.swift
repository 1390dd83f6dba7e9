import Testing
@testable import DiandanCore
@Test func placeholderCompiles() {}
