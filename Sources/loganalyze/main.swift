print("loganalyze: not built yet")
