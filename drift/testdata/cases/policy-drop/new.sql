CREATE TABLE public.docs (id int PRIMARY KEY, owner name NOT NULL DEFAULT current_user);
