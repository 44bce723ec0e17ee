CREATE TABLE public.reservations (id int PRIMARY KEY, during tsrange NOT NULL);
