// swift-tools-version: 6.1
// Micro-benchmarks of refer's distance kernels (ordo-one/benchmark). A package of its
// own so the main package's build and tests do not pull in the benchmark harness.
//   cd Benchmarks/KernelBenchmarks && swift package --allow-writing-to-package-directory benchmark
import PackageDescription

let package = Package(
    name: "KernelBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "refer", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "DistanceKernels",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ReferKernels", package: "refer"),
            ],
            path: "Benchmarks/DistanceKernels",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
