print("logcollect: not built yet")
