print("refer")
