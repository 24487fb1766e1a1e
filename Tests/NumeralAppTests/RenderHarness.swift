import XCTest
import NumeralUI
@testable import NumeralApp

/// Renders app states offscreen with the window's drawing code and reads pixels back.
struct Frame {
    let width: Int
    let height: Int
    let rgba: [UInt8]
    let scale: Double

    func pixel(x: Int, y: Int) -> RGBA {
        let i = (y * width + x) * 4
        return RGBA(rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3])
    }

    /// The pixel under a point given in layout points.
    func pixel(at p: UIPoint) -> RGBA {
        pixel(x: Int(p.x * scale), y: Int(p.y * scale))
    }
}

func colorDistance(_ a: RGBA, _ b: RGBA) -> Int {
    abs(Int(a.r) - Int(b.r)) + abs(Int(a.g) - Int(b.g)) + abs(Int(a.b) - Int(b.b))
}

final class RenderHarness {
    let scale: Double
    let offscreen: Renderer
    let scene: SceneRenderer

    init(layoutSize: UISize = Layout.defaultSize, scale: Double = 1) throws {
        self.scale = scale
        offscreen = try Renderer(offscreenWidth: Int(layoutSize.width * scale), height: Int(layoutSize.height * scale))
        scene = try SceneRenderer(renderer: offscreen)
    }

    func render(_ state: AppState, saveAs name: String? = nil) throws -> Frame {
        try scene.draw(state, pixelScale: scale)
        let (width, height, rgba) = try offscreen.readRGBA()
        if let name { TestImages.saveIfRequested(name, width: width, height: height, rgba: rgba) }
        return Frame(width: width, height: height, rgba: rgba, scale: scale)
    }
}

extension AppState {
    /// Draws a stroke through the given canvas fractions with pointer events.
    mutating func draw(_ fractions: [(Double, Double)], time: Double = 0) {
        let c = layout.canvas
        let points = fractions.map { UIPoint(x: c.x + c.width * $0.0, y: c.y + c.height * $0.1) }
        guard let first = points.first, let last = points.last else { return }
        _ = reduce(&self, .pointer(PointerEvent(.down, .mouse, at: first, time: time)))
        for (i, p) in points.dropFirst().enumerated() {
            _ = reduce(&self, .pointer(PointerEvent(.move, .mouse, at: p, time: time + 0.01 * Double(i + 1))))
        }
        _ = reduce(&self, .pointer(PointerEvent(.up, .mouse, at: last, time: time + 0.2)))
    }

    mutating func show(_ display: Recognition) {
        _ = reduce(&self, .recognitionFinished(revision: revision, outcome: .success(display)))
    }
}
