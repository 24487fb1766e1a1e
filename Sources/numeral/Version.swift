/// The program's version: `numeral --version` prints it, and `make deb` and `make image` name the
/// package and the image after it (read back from the built binary, so they cannot drift apart).
enum NumeralVersion {
    static let string = "1.0.0"
}
