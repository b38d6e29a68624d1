// The showcase's child process: a recursive function, traced as a process of its own.
function fibonacci(n) {
	return n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2);
}

const n = Number(process.argv[2] ?? 20);
console.log(`child: fib(${n}) = ${fibonacci(n)}`);
