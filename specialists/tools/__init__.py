"""The specialists' MAF tools: one module per specialist, each with `build_tools(store) -> list[FunctionTool]`."""
