// Command empty does nothing: the benchmarks' baseline for exec cost.
package main

func main() {}
