print("numeral")
