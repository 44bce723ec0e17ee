CREATE TABLE public.bookings (room int NOT NULL, during tstzrange NOT NULL);
